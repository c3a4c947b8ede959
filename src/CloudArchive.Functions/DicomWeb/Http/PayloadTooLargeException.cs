namespace CloudArchive.Functions.DicomWeb.Http;

/// <summary>A request or one of its parts is larger than the configured limit (answered 413).</summary>
/// <param name="limitName">The setting that was exceeded (e.g. <c>MaxPartBytes</c>).</param>
/// <param name="limit">The limit in bytes.</param>
public sealed class PayloadTooLargeException(string limitName, long limit)
    : Exception($"The {(limitName == "MaxPartBytes" ? "part" : "request")} is larger than the archive's limit of {limit} bytes ({limitName}).")
{
    /// <summary>The setting that was exceeded.</summary>
    public string LimitName { get; } = limitName;

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; } = limit;
}
