using CloudArchive.Core.Lifecycle.Reconcile;
using CloudArchive.Functions.Ingest;
using CloudArchive.Functions.Middleware;

namespace CloudArchive.Functions.Lifecycle;

/// <summary>
/// The key that ties an ingest message to its poison copy: the hash of its JSON. The trigger may hand over base64 of the
/// JSON (messageEncoding none) while the poison queue's client decodes it, so both sides hash the decoded JSON.
/// </summary>
public static class IngestMessageKey
{
    /// <summary>The key of a message as stored or as decoded.</summary>
    public static string Of(string? message)
    {
        try
        {
            return IngestFailureNotes.MessageKey(QueueMessageText.DecodeJson(message));
        }
        catch (InvalidMessageException)
        {
            return IngestFailureNotes.MessageKey(message);
        }
    }
}
