namespace CloudArchive.Core.DicomWeb.Clinical;

/// <summary>A clinical query the archive refuses to run (answered 400 with the code and message; never echoes input).</summary>
public sealed class ClinicalQueryRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="code">A stable code, e.g. <c>query-needs-key</c>.</param>
    /// <param name="message">What the caller is told.</param>
    public ClinicalQueryRefusedException(string code, string message)
        : base(message) => Code = code;

    /// <summary>The stable code.</summary>
    public string Code { get; }
}
