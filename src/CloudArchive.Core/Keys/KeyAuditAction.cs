namespace CloudArchive.Core.Keys;

/// <summary>Key-management actions the keyring reports for the audit log.</summary>
public enum KeyAuditAction
{
    /// <summary>A new study key was created and stored.</summary>
    StudyKeyCreated,

    /// <summary>The index key was created.</summary>
    IndexKeyCreated,

    /// <summary>A study key was destroyed (crypto-shredding).</summary>
    StudyKeyShredded,

    /// <summary>A shred request was refused (legal hold).</summary>
    StudyKeyShredRefused,

    /// <summary>A research agreement's de-identification secret was created.</summary>
    AgreementSecretCreated,

    /// <summary>A rewrap pass finished (or stopped) after a KEK rotation.</summary>
    KeysRewrapped,

    /// <summary>The audit chain key was created.</summary>
    AuditChainKeyCreated,
    /// <summary>The quarantine key was created.</summary>
    QuarantineKeyCreated,
}
