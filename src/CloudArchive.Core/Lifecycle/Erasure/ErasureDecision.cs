namespace CloudArchive.Core.Lifecycle.Erasure;

/// <summary>What an erasure does with one study.</summary>
public enum ErasureDecision
{
    /// <summary>Shredded completely and its instances deleted (or, in a dry run, would be).</summary>
    Erase,

    /// <summary>Refused: a legal hold covers the study (GDPR Art. 17(3)(e)).</summary>
    RefusedLegalHold,

    /// <summary>Refused: an instance is still within its statutory retention period (GDPR Art. 17(3)(b), (c)).</summary>
    RefusedRetentionObligation,
}
