namespace CloudArchive.Core.Lifecycle.Erasure;

/// <summary>The decision for one study of the patient.</summary>
/// <param name="StudyKey">The opaque study key.</param>
/// <param name="Decision">Erase or the refusal.</param>
/// <param name="Instances">Instances of the study found.</param>
/// <param name="RetainUntil">The latest <c>ca_retain_until</c> of its instances (end of month), when known.</param>
public sealed record ErasureStudyOutcome(string StudyKey, ErasureDecision Decision, int Instances, string? RetainUntil)
{
    /// <summary>The decision as a code: <c>erase</c>, <c>refused-legal-hold</c>, <c>refused-retention-obligation</c>.</summary>
    public string DecisionCode => Decision switch
    {
        ErasureDecision.Erase => "erase",
        ErasureDecision.RefusedLegalHold => "refused-legal-hold",
        _ => "refused-retention-obligation",
    };
}
