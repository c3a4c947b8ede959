using System.Text.Json;
using CloudArchive.Core.DicomWeb.Stow;

namespace CloudArchive.Functions.DicomWeb.Stow;

/// <summary>
/// Writes the Store Instances Response (PS3.18 §10.5.3) in the DICOM JSON Model (PS3.18 Annex F): Retrieve URL
/// (0008,1190) of the study when the request named one or every stored instance is of one study, Failed SOP Sequence
/// (0008,1198) with Failure Reason (0008,1197), Referenced SOP Sequence (0008,1199) with each instance's Retrieve URL
/// and, for the idempotent duplicate, Warning Reason (0008,1196). UIDs a part did not reveal are left out of its item.
/// </summary>
public static class StoreInstancesResponseWriter
{
    /// <summary>The response media type.</summary>
    public const string MediaType = "application/dicom+json";

    /// <summary>Writes the response document.</summary>
    /// <param name="output">Where to write.</param>
    /// <param name="results">The parts' results, in request order.</param>
    /// <param name="serviceRoot">The DICOMweb service root, e.g. <c>https://host/api/dicomweb</c> (no trailing slash).</param>
    /// <param name="targetStudy">The study named in the request path, if any.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(Stream output, IReadOnlyList<StowInstanceResult> results, string serviceRoot, string? targetStudy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        await using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();

        var studies = results.Where(r => r.Stored).Select(r => r.Identity.StudyInstanceUid).Distinct(StringComparer.Ordinal).ToList();
        var study = targetStudy ?? (studies is [{ } only] ? only : null);
        if (study is not null)
        {
            WriteString(json, "00081190", "UR", StudyUrl(serviceRoot, study));
        }

        var failed = results.Where(r => !r.Stored).ToList();
        if (failed.Count > 0)
        {
            json.WriteStartObject("00081198");
            json.WriteString("vr", "SQ");
            json.WriteStartArray("Value");
            foreach (var result in failed)
            {
                json.WriteStartObject();
                WriteIdentity(json, result.Identity);
                WriteUnsigned(json, "00081197", result.FailureReason ?? StowStatusCodes.ProcessingFailure);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var stored = results.Where(r => r.Stored).ToList();
        if (stored.Count > 0)
        {
            json.WriteStartObject("00081199");
            json.WriteString("vr", "SQ");
            json.WriteStartArray("Value");
            foreach (var result in stored)
            {
                json.WriteStartObject();
                WriteIdentity(json, result.Identity);
                if (result.Identity.IsComplete)
                {
                    WriteString(json, "00081190", "UR", $"{StudyUrl(serviceRoot, result.Identity.StudyInstanceUid!)}/series/{result.Identity.SeriesInstanceUid}/instances/{result.Identity.SopInstanceUid}");
                }

                if (result.WarningReason is { } warning)
                {
                    WriteUnsigned(json, "00081196", warning);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string StudyUrl(string serviceRoot, string study) => $"{serviceRoot}/studies/{study}";

    private static void WriteIdentity(Utf8JsonWriter json, StowPartIdentity identity)
    {
        if (identity.SopClassUid is { } sopClass)
        {
            WriteString(json, "00081150", "UI", sopClass);
        }

        if (identity.SopInstanceUid is { } sopInstance)
        {
            WriteString(json, "00081155", "UI", sopInstance);
        }
    }

    private static void WriteString(Utf8JsonWriter json, string tag, string vr, string value)
    {
        json.WriteStartObject(tag);
        json.WriteString("vr", vr);
        json.WriteStartArray("Value");
        json.WriteStringValue(value);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteUnsigned(Utf8JsonWriter json, string tag, ushort value)
    {
        json.WriteStartObject(tag);
        json.WriteString("vr", "US");
        json.WriteStartArray("Value");
        json.WriteNumberValue(value);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
