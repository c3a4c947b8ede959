namespace CloudArchive.Core.Ingest.Quarantine;

/// <summary>Which key encrypts a quarantine copy (<see cref="QuarantineRecord.EncryptedUnder"/>).</summary>
public static class QuarantineKeyKinds
{
    /// <summary>The study's own key: the copy goes with a crypto-shred of the study.</summary>
    public const string Study = "study";

    /// <summary>The keyring's quarantine key: the study was unknown (unreadable upload) or shredded.</summary>
    public const string Quarantine = "quarantine";
}
