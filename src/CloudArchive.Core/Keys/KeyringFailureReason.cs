namespace CloudArchive.Core.Keys;

/// <summary>Why a keyring operation failed.</summary>
public enum KeyringFailureReason
{
    /// <summary>An entry is not valid keyring JSON.</summary>
    CorruptEntry,

    /// <summary>The KEK that wrapped an entry could not be resolved or refused to unwrap it.</summary>
    UnwrapFailed,

    /// <summary>No key exists under this name and no shred was recorded for it.</summary>
    KeyNotFound,

    /// <summary>The study was crypto-shredded; its key cannot be recreated.</summary>
    StudyShredded,

    /// <summary>The study is under legal hold; shredding is refused.</summary>
    LegalHold,

    /// <summary>Concurrent writers kept changing an entry; the operation gave up after retrying.</summary>
    Contention,

    /// <summary>The name given is not a valid opaque study key.</summary>
    InvalidName,
}
