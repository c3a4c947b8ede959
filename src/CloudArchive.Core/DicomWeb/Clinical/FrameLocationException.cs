namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>The requested frames cannot be served from this instance (no pixel data, a frame out of range, no way to find frame boundaries).</summary>
public sealed class FrameLocationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code"><c>no-pixel-data</c>, <c>frame-out-of-range</c> or <c>frames-unlocatable</c>.</param>
    /// <param name="message">What the caller is told (no patient data).</param>
    public FrameLocationException(string code, string message)
        : base(message) => Code = code;

    /// <summary>The stable code.</summary>
    public string Code { get; }
}
