using System.Globalization;
using CloudArchive.Core.Archive;
using CloudArchive.Core.Minimization;
using CloudArchive.Core.Policies;
using CloudArchive.Core.Retention;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// Decides what becomes of a valid instance: its opaque keys and patient pseudonym, its retention date, what the
/// minimization policy removes (applied to the dataset here), and its index record.
/// </summary>
internal sealed class InstancePlanner(IngestPolicies policies, IngestOptions options)
{
    private readonly DataMinimizer _minimizer = new(policies.Minimization);

    /// <summary>Derives the instance's, study's and patient's opaque keys onto the context (so a rejection is attributed to them).</summary>
    public static void Identify(IngestContext context, DicomDataset dataset, InstanceUids instance)
    {
        context.InstanceKey = context.Keys.ForUid(instance.SopInstanceUid);
        context.StudyKey = context.Keys.ForUid(instance.StudyInstanceUid);
        context.Patient = context.Keys.PatientPseudonym(dataset.GetString(DicomTags.PatientID), dataset.GetString(DicomTags.IssuerOfPatientID));
    }

    /// <summary>Evaluates retention, applies minimization to <paramref name="file"/>'s dataset and builds the index record.</summary>
    public IngestPlan Plan(IngestContext context, DicomFile file, InstanceUids instance, DateTimeOffset now)
    {
        var dataset = file.Dataset;
        var seriesKey = context.Keys.ForUid(instance.SeriesInstanceUid);
        RetentionDecision retention;
        try
        {
            var facts = RetentionFactsReader.Read(dataset, DateOnly.FromDateTime(now.UtcDateTime), options.Jurisdiction);
            retention = policies.Retention.Evaluate(facts);
        }
        catch (RetentionEvaluationException)
        {
            throw new IngestRejection(QuarantineReason.RetentionUndetermined, "No retention rule applies to this instance.");
        }

        var studyDate = RetentionFactsReader.ParseDate(dataset.GetString(DicomTags.StudyDate));
        var modality = CleanCode(dataset.GetString(DicomTags.Modality));
        var bodyPart = CleanCode(dataset.GetString(DicomTags.BodyPartExamined));
        var minimization = _minimizer.Apply(dataset);

        // Taken after minimization, so a value the policy removed is never indexed (docs/dicomweb/clinical.md).
        var indexedAttributes = IndexedAttributes.Capture(dataset);
        var accession = context.Keys.AccessionPseudonym(dataset.GetString(DicomTags.AccessionNumber));
        var record = new InstanceIndexRecord
        {
            StudyKey = context.StudyKey!,
            SeriesKey = seriesKey,
            InstanceKey = context.InstanceKey!,
            PatientPseudonym = context.Patient,
            StudyDate = studyDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Modality = modality,
            BodyPart = bodyPart,
            SopClassUid = instance.SopClassUid,
            TransferSyntaxUid = file.TransferSyntax.Uid,
            UploadLength = context.Upload.Length,
            ArchivedLength = context.Upload.Length,
            MinimizationPolicy = minimization.PolicyName,
            RemovedPaths = minimization.RemovedPaths,
            RetainUntil = retention.RetainUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            RetentionRule = retention.DecidedBy.Rule.Id,
            RetentionExplanation = retention.Explain(),
            IngestedAt = now,
            CorrelationId = context.Request.CorrelationId,
            Attributes = indexedAttributes,
            MetaRepairs = instance.MetaRepairs.Count > 0 ? instance.MetaRepairs : null,
        };
        return new IngestPlan(context.StudyKey!, seriesKey, context.Patient, accession, retention, minimization, record);
    }

    private static string? CleanCode(string? value)
    {
        var trimmed = value?.Trim('\0', ' ');
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}
