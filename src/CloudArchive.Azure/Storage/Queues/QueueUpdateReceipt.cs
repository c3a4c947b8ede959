namespace CloudArchive.Azure.Storage.Queues;

/// <summary>The service's answer to Update Message: the old pop receipt is no longer valid.</summary>
/// <param name="PopReceipt">The new pop receipt.</param>
/// <param name="NextVisibleOn">When the message becomes visible.</param>
public sealed record QueueUpdateReceipt(string PopReceipt, DateTimeOffset? NextVisibleOn);
