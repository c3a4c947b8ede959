using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Retention;

/// <summary>
/// Reads <see cref="RetentionFacts"/> from an instance's dataset: StudyDate (0008,0020), falling back to
/// SeriesDate (0008,0021) and AcquisitionDate (0008,0022), PatientBirthDate (0010,0030) and Modality
/// (0008,0060). A date that is absent, empty or not a valid DA value (<c>YYYYMMDD</c>; the ACR-NEMA form
/// <c>YYYY.MM.DD</c> is also read) is treated as unknown, which the evaluator resolves conservatively.
/// </summary>
public static class RetentionFactsReader
{
    /// <summary>Reads the facts from a dataset.</summary>
    /// <param name="dataset">The instance's main dataset.</param>
    /// <param name="ingestDate">Today's date (UTC) at ingest.</param>
    /// <param name="jurisdiction">The jurisdiction configured for the source, if any.</param>
    public static RetentionFacts Read(DicomDataset dataset, DateOnly ingestDate, string? jurisdiction)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new RetentionFacts
        {
            IngestDate = ingestDate,
            ExamDate = ParseDate(Text(dataset, DicomTags.StudyDate)) ?? ParseDate(Text(dataset, DicomTags.SeriesDate)) ?? ParseDate(Text(dataset, DicomTags.AcquisitionDate)),
            BirthDate = ParseDate(Text(dataset, DicomTags.PatientBirthDate)),
            Modality = Text(dataset, DicomTags.Modality) is { Length: > 0 } m ? m : null,
            Jurisdiction = jurisdiction,
        };
    }

    /// <summary>Parses a DICOM DA value; null when empty or invalid (never throws).</summary>
    public static DateOnly? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim('\0', ' ');
        var formats = new[] { "yyyyMMdd", "yyyy.MM.dd" };
        return DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1850
            ? date
            : null;
    }

    private static string? Text(DicomDataset dataset, DicomTag tag)
    {
        try
        {
            return dataset.GetString(tag)?.Trim('\0', ' ');
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomValueException)
        {
            // An undecodable value is an unknown value: the evaluator then assumes the conservative case.
            return null;
        }
    }
}
