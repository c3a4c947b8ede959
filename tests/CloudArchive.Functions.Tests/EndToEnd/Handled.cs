using CloudArchive.Core.Ingest;

namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>How the app handled one upload: the result of the delivery that succeeded, and how many failed before it.</summary>
internal sealed record Handled(string BlobName, IngestOutcome Outcome, string? InstanceKey, string? ReasonCode, int FailedDeliveries, string? QuarantineId = null);
