namespace CloudArchive.Azure.Storage.Queues;

/// <summary>A message seen by Peek: it stays visible and carries no pop receipt.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="DequeueCount">How many times it has been received.</param>
/// <param name="Text">The decoded message text.</param>
/// <param name="InsertedOn">When it was sent.</param>
/// <param name="ExpiresOn">When it expires.</param>
public sealed record PeekedQueueMessage(string MessageId, long DequeueCount, string Text, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn);
