namespace CloudArchive.Core.Lifecycle.Fixity;

/// <summary>What decrypt-verifying one archive blob found.</summary>
public enum FixityOutcome
{
    /// <summary>Every region's GCM tag verified, the length is <c>ca_plainlength</c> and the plaintext MAC is <c>ca_plainmac</c>.</summary>
    Intact,

    /// <summary>The blob failed verification (see <see cref="FixityResult.Problem"/>).</summary>
    Failed,

    /// <summary>The study key was crypto-shredded: unreadable by design, not a fixity failure.</summary>
    Shredded,

    /// <summary>The blob was deleted between listing and reading (retention, shredding): nothing to verify.</summary>
    Gone,
}
