namespace CloudArchive.Core.Lifecycle.Holds;

/// <summary>What a legal hold covers.</summary>
public enum LegalHoldScope
{
    /// <summary>One study (its opaque study key), including instances ingested later.</summary>
    Study,

    /// <summary>Every study of one patient (the patient pseudonym), including studies ingested later.</summary>
    Patient,
}
