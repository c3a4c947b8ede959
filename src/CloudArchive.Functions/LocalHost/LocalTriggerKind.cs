namespace CloudArchive.Functions.LocalHost;

/// <summary>The triggers the local host runs.</summary>
internal enum LocalTriggerKind
{
    /// <summary><c>[QueueTrigger]</c>.</summary>
    Queue,

    /// <summary><c>[HttpTrigger]</c>.</summary>
    Http,

    /// <summary><c>[TimerTrigger]</c>.</summary>
    Timer,
}
