namespace CloudArchive.Deidentification;

/// <summary>The result of <see cref="Deidentifier.DeidentifyAsync"/>.</summary>
/// <param name="Report">The instance report (check <see cref="InstanceReport.Outcome"/> before writing).</param>
/// <param name="SpoolFiles">Temporary files backing rewritten Pixel Data; delete them after the output is written.</param>
public sealed record DeidResult(InstanceReport Report, IReadOnlyList<string> SpoolFiles)
{
    /// <summary>True when a de-identified instance may be written.</summary>
    public bool Succeeded => Report.Outcome == InstanceOutcome.Deidentified;
}
