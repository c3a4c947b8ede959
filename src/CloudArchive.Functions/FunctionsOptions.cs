namespace CloudArchive.Functions;

/// <summary>Settings of the function endpoints (section <c>CloudArchive:Containers</c>).</summary>
public sealed class FunctionsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CloudArchive:Containers";

    /// <summary>The container uploads arrive in; IngestInstance accepts events for it only. Default <c>incoming</c>.</summary>
    public string Incoming { get; set; } = "incoming";
}
