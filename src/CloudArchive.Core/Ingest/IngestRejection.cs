namespace CloudArchive.Core.Ingest;

/// <summary>Raised inside the pipeline when an upload must be quarantined. Messages never contain patient data.</summary>
internal sealed class IngestRejection : Exception
{
    public IngestRejection(QuarantineReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    public QuarantineReason Reason { get; }
}
