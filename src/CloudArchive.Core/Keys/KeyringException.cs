namespace CloudArchive.Core.Keys;

/// <summary>A keyring operation failed. Messages carry opaque names and key ids only.</summary>
public sealed class KeyringException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KeyringException(KeyringFailureReason reason, string message, string? entryName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        EntryName = entryName;
    }

    /// <summary>The failure class.</summary>
    public KeyringFailureReason Reason { get; }

    /// <summary>The keyring entry concerned, if any.</summary>
    public string? EntryName { get; }
}
