namespace CloudArchive.Azure.Composition;

/// <summary>
/// The archive's work queues. They are constants, not settings: a queue trigger's name is fixed when the function app
/// is built, so the app, the CLI and the infrastructure must all use these names.
/// </summary>
public static class ArchiveQueueNames
{
    /// <summary>Where Event Grid delivers BlobCreated events of <c>incoming</c> (the ingest function's trigger).</summary>
    public const string Ingest = "ingest-events";

    /// <summary>Where the CLI and consent revocation enqueue export requests (the export function's trigger).</summary>
    public const string Export = "export-requests";

    /// <summary>The Functions host's poison queue of <paramref name="queue"/>: messages that failed every delivery.</summary>
    public static string Poison(string queue) => queue + "-poison";

    /// <summary>Both work queues, each followed by its poison queue.</summary>
    public static IReadOnlyList<string> All { get; } = [Ingest, Poison(Ingest), Export, Poison(Export)];
}
