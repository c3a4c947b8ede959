namespace CloudArchive.Azure.Storage.Queues;

/// <summary>The service's answer to Put Message.</summary>
/// <param name="MessageId">The new message id.</param>
/// <param name="PopReceipt">A pop receipt that allows deleting or updating the message without receiving it.</param>
/// <param name="InsertedOn">When it was stored.</param>
/// <param name="ExpiresOn">When it expires.</param>
/// <param name="NextVisibleOn">When it becomes visible.</param>
public sealed record QueueSendReceipt(string MessageId, string PopReceipt, DateTimeOffset? InsertedOn, DateTimeOffset? ExpiresOn, DateTimeOffset? NextVisibleOn);
