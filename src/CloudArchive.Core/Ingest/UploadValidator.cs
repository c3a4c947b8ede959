using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Core.Ingest;

/// <summary>
/// The ingest's checks on an upload, in the order they run: size, Part 10 format, the required UIDs (and which File
/// Meta UIDs disagree with them), and the policy (meta repair allowed, SOP class allowed). Each failure is an
/// <see cref="IngestRejection"/> with its quarantine reason.
/// </summary>
internal sealed class UploadValidator
{
    private readonly IngestOptions _options;
    private readonly HashSet<string>? _allowedSopClasses;

    public UploadValidator(IngestOptions options)
    {
        _options = options;
        _allowedSopClasses = options.AllowedSopClasses is { Count: > 0 } allowed ? new HashSet<string>(allowed, StringComparer.Ordinal) : null;
    }

    /// <summary>Refuses an empty or oversized upload before any of it is read.</summary>
    public void CheckSize(IncomingUpload upload)
    {
        if (upload.Length == 0)
        {
            throw new IngestRejection(QuarantineReason.Empty, "The upload is empty (0 bytes).");
        }

        if (upload.Length > _options.MaxInstanceBytes)
        {
            throw new IngestRejection(QuarantineReason.Oversized, string.Create(CultureInfo.InvariantCulture, $"The upload has {upload.Length} bytes; the limit is {_options.MaxInstanceBytes} bytes."));
        }
    }

    public async Task<DicomFile> ReadDicomAsync(IncomingUpload upload, CancellationToken cancellationToken)
    {
        var hasPart10Header = await HasPart10HeaderAsync(upload.Content, cancellationToken).ConfigureAwait(false);
        upload.Content.Position = 0;
        var options = new DicomReaderOptions
        {
            MaxInflatedLength = _options.MaxInflatedBytes,
            MaxDeflateRatio = _options.MaxDeflateRatio,
            TempDirectory = _options.TempDirectory,
        };
        DicomFile file;
        try
        {
            file = await DicomFile.ReadAsync(upload.Content, options, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomFormatException ex)
        {
            if (!hasPart10Header)
            {
                throw new IngestRejection(QuarantineReason.NotDicom, "The upload is not DICOM: no Part 10 header (128-byte preamble + \"DICM\") and no parseable dataset.");
            }

            var reason = ex.Reason.Contains("deflate bomb", StringComparison.OrdinalIgnoreCase) ? QuarantineReason.DeflateBomb : QuarantineReason.DicomFormat;
            var where = ex.Tag is { } tag
                ? string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset} in {tag}")
                : string.Create(CultureInfo.InvariantCulture, $" at offset {ex.Offset}");
            throw new IngestRejection(reason, "DicomFormat: " + ex.Reason + where);
        }

        if (!file.HadFileMetaInformation || !hasPart10Header)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.NotPart10, "The upload is a DICOM dataset without the Part 10 preamble and File Meta Information; only Part 10 files are accepted.");
        }

        if (file.TransferSyntaxWasGuessed)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw new IngestRejection(QuarantineReason.MissingTransferSyntax, "The File Meta Information has no Transfer Syntax UID (0002,0010).");
        }

        return file;
    }

    private static async Task<bool> HasPart10HeaderAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content.Length < 132)
        {
            return false;
        }

        content.Position = 128;
        var magic = new byte[4];
        await content.ReadExactlyAsync(magic, cancellationToken).ConfigureAwait(false);
        return magic is [(byte)'D', (byte)'I', (byte)'C', (byte)'M'];
    }

    public static InstanceUids Validate(DicomFile file)
    {
        var dataset = file.Dataset;
        var sopClass = RequireUid(dataset, DicomTags.SOPClassUID, "SOPClassUID");
        var sopInstance = RequireUid(dataset, DicomTags.SOPInstanceUID, "SOPInstanceUID");
        var study = RequireUid(dataset, DicomTags.StudyInstanceUID, "StudyInstanceUID");
        var series = RequireUid(dataset, DicomTags.SeriesInstanceUID, "SeriesInstanceUID");

        return new InstanceUids(sopClass, sopInstance, study, series, MetaMismatches(file.FileMetaInformation, sopClass, sopInstance));
    }

    /// <summary>The policy checks on a readable instance, made once its keys are known (so its quarantine copy is attributed to its study).</summary>
    public void CheckPolicy(InstanceUids instance)
    {
        if (instance.MetaRepairs.Count > 0 && !_options.RepairFileMeta)
        {
            throw new IngestRejection(QuarantineReason.MetaMismatch, instance.MetaRepairs[0] == MetaRepairs.SopInstanceUid
                ? "MediaStorageSOPInstanceUID (0002,0003) differs from SOPInstanceUID (0008,0018)."
                : "MediaStorageSOPClassUID (0002,0002) differs from SOPClassUID (0008,0016).");
        }

        if (_allowedSopClasses is not null && !_allowedSopClasses.Contains(instance.SopClassUid))
        {
            throw new IngestRejection(QuarantineReason.SopClassNotAllowed, $"SOP class {instance.SopClassUid} is not in the allowed list (CloudArchive:Ingest:AllowedSopClasses).");
        }
    }

    /// <summary>
    /// Which File Meta UIDs disagree with the data set. The data set is what the instance is (PS3.10 7.1 derives the
    /// meta from it), so with repair on the meta is rebuilt from it. A missing meta UID, or one
    /// with a malformed UID is left as the ingest always treated it (not compared), so such files stay byte-identical.
    /// </summary>
    private static List<string> MetaMismatches(DicomDataset meta, string sopClass, string sopInstance)
    {
        var repairs = new List<string>();
        if (Disagrees(meta.GetString(DicomTags.MediaStorageSOPInstanceUID), sopInstance))
        {
            repairs.Add(MetaRepairs.SopInstanceUid);
        }

        if (Disagrees(meta.GetString(DicomTags.MediaStorageSOPClassUID), sopClass))
        {
            repairs.Add(MetaRepairs.SopClassUid);
        }

        return repairs;

        static bool Disagrees(string? metaValue, string datasetUid) =>
            DicomUid.TryNormalize(metaValue, out var uid, out _) && !string.Equals(uid, datasetUid, StringComparison.Ordinal);
    }

    private static string RequireUid(DicomDataset dataset, DicomTag tag, string keyword)
    {
        string? raw;
        try
        {
            raw = dataset.Contains(tag) ? dataset.GetString(tag) : null;
        }
        catch (Exception ex) when (ex is DicomFormatException or DicomValueException)
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} cannot be decoded.");
        }

        if (raw is null || raw.TrimEnd('\0', ' ').Length == 0)
        {
            throw new IngestRejection(QuarantineReason.MissingAttribute, $"Required attribute {keyword} {tag} is missing or empty.");
        }

        if (!DicomUid.TryNormalize(raw, out var uid, out var problem))
        {
            throw new IngestRejection(QuarantineReason.InvalidUid, $"{keyword} {tag} is not a valid UID: it {problem}.");
        }

        return uid;
    }
}
