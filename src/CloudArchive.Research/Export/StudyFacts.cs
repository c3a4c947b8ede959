namespace CloudArchive.Research.Export;

/// <summary>
/// What the export gate needs to know about one study, taken from the encrypted instance index: the patient pseudonym,
/// the study date, and the modalities and body parts of the instances the agreement's selection kept.
/// </summary>
/// <param name="PatientPseudonym">The patient pseudonym, null without Patient ID.</param>
/// <param name="StudyDate">The study date, if known.</param>
/// <param name="Modalities">Modality codes of the selected instances.</param>
/// <param name="BodyParts">Body Part Examined codes of the selected instances.</param>
public sealed record StudyFacts(string? PatientPseudonym, DateOnly? StudyDate, IReadOnlyCollection<string> Modalities, IReadOnlyCollection<string> BodyParts);
