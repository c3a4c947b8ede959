namespace CloudArchive.Functions.LocalHost;

/// <summary>What became of one received queue message.</summary>
public enum QueueDeliveryOutcome
{
    /// <summary>The function answered 2xx; the message was deleted.</summary>
    Completed,

    /// <summary>The function failed; the message becomes visible again for another delivery.</summary>
    WillRetry,

    /// <summary>The message failed its last allowed delivery and was moved to the poison queue.</summary>
    Poisoned,
}
