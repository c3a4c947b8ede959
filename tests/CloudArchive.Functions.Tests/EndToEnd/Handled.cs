namespace CloudArchive.Functions.Tests.EndToEnd;

/// <summary>How the app reported one upload (from the invocation response's Logs).</summary>
internal sealed record Handled(string BlobName, string Outcome, string? InstanceKey, string? ReasonCode, int FailedDeliveries);
