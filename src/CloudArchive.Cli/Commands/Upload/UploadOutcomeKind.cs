namespace CloudArchive.Cli.Commands.Upload;

/// <summary>What became of one upload, as <c>upload --wait</c> reports it.</summary>
internal enum UploadOutcomeKind
{
    /// <summary>Encrypted into the archive (or resumed after an interrupted ingest).</summary>
    Archived,

    /// <summary>The same instance was already archived; the upload was removed.</summary>
    Duplicate,

    /// <summary>Refused with a reason and kept in quarantine.</summary>
    Quarantined,

    /// <summary>No outcome before the wait ended (still queued, failing and retried, or in the poison queue).</summary>
    TimedOut,

    /// <summary>Sent by STOW-RS and refused by the archive (the reason is the DICOM Failure Reason, e.g. <c>0xC000</c>), or not answered.</summary>
    Failed,

    /// <summary>Not sent: the file is obviously not DICOM (empty, or no DICOM header) and <c>--force</c> was not given.</summary>
    Skipped,
}
