namespace CloudArchive.Azure.Storage.Queues;

/// <summary>A received message, invisible to others until <see cref="NextVisibleOn"/> unless deleted first.</summary>
/// <param name="MessageId">The message id.</param>
/// <param name="PopReceipt">Proof of this receive, needed to delete or update the message (not a secret to log, but not useful to either).</param>
/// <param name="DequeueCount">How many times the message has been received (poison detection).</param>
/// <param name="Text">The decoded message text.</param>
/// <param name="InsertedOn">When it was sent.</param>
/// <param name="ExpiresOn">When it expires.</param>
/// <param name="NextVisibleOn">When it becomes visible again.</param>
public sealed record QueueMessage(string MessageId, string PopReceipt, long DequeueCount, string Text, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset? NextVisibleOn);
