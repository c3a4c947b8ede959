namespace CloudArchive.Cli.Commands.Upload;

/// <summary>One file's outcome: the local path beside what the archive did with it.</summary>
/// <param name="File">The planned upload.</param>
/// <param name="Kind">The outcome.</param>
/// <param name="Reason">The quarantine or skip reason code, when there is one.</param>
/// <param name="Message">The archive's explanation (from the quarantine reason file), when there is one.</param>
internal sealed record UploadOutcome(UploadFile File, UploadOutcomeKind Kind, string? Reason = null, string? Message = null)
{
    /// <summary>Whether the upload needs someone's attention (exit code 1).</summary>
    public bool NeedsAttention => Kind is UploadOutcomeKind.Quarantined or UploadOutcomeKind.TimedOut or UploadOutcomeKind.Skipped or UploadOutcomeKind.Failed;
}
