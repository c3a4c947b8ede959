using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Deidentification;

/// <summary>
/// The pixel policy of one instance: decides from the top-level attributes (refuse, blank with a rule, or leave), and
/// for a rule blanks its rectangles into a spool file that then backs the new Pixel Data.
/// </summary>
internal sealed class PixelStep
{
    private readonly PixelPolicy _policy;

    public PixelStep(PixelPolicy policy)
    {
        this._policy = policy;
    }

    /// <summary>What the policy decides for <paramref name="ds"/>.</summary>
    public PixelDecision Decide(DicomDataset ds)
    {
        var pixel = ds.Get(DicomTags.PixelData);
        return _policy.Decide(
            hasPixelData: pixel is not null,
            isEncapsulated: pixel is DicomFragmentSequence,
            burnedInAnnotation: DatasetValues.TopString(ds, DicomTags.BurnedInAnnotation),
            modality: DatasetValues.TopString(ds, DicomTags.Modality),
            manufacturer: DatasetValues.TopString(ds, DicomTags.Manufacturer),
            model: DatasetValues.TopString(ds, DicomTags.ManufacturerModelName),
            rows: DatasetValues.TopUShort(ds, DicomTags.Rows),
            columns: DatasetValues.TopUShort(ds, DicomTags.Columns));
    }

    /// <summary>Carries out a decision that is not a refusal: blanks for a rule, else reports the pixels as they are.</summary>
    public async Task ApplyAsync(DicomDataset ds, PixelDecision decision, string? spoolDirectory, List<string> spool, InstanceReport report, CancellationToken cancellationToken)
    {
        if (decision.Kind == PixelDecisionKind.Blank)
        {
            await BlankAsync(ds, decision.Rule!, spoolDirectory, spool, report, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            report.Pixel = ds.Contains(DicomTags.PixelData) ? "unchanged" : "none";
        }
    }

    private static async Task BlankAsync(DicomDataset ds, PixelRule rule, string? spoolDirectory, List<string> spool, InstanceReport report, CancellationToken cancellationToken)
    {
        if (ds.Get(DicomTags.PixelData) is not DicomValueElement pixel)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, "Pixel Data is not native");
        }

        var geometry = GeometryOf(ds);
        var reason = PixelBlanker.Validate(geometry, rule.Rectangles);
        if (reason is not null)
        {
            throw new DeidentificationException(DeidFailure.PixelDataUnsupported, reason);
        }

        var dir = spoolDirectory ?? Path.GetTempPath();
        var tmp = Path.Combine(dir, "deid-pixels-" + Guid.NewGuid().ToString("N") + ".tmp");
        spool.Add(tmp);
        var src = pixel.OpenRead();
        await using (src.ConfigureAwait(false))
        {
            var dst = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (dst.ConfigureAwait(false))
            {
                await PixelBlanker.CopyBlankedAsync(src, dst, pixel.Length, geometry, rule.Rectangles, cancellationToken).ConfigureAwait(false);
            }
        }

        ds.Set(new DicomValueElement(DicomTags.PixelData, pixel.VR, DicomBulkData.FromFile(tmp)));
        ds.Set(DicomValueElement.FromStrings(DicomTags.BurnedInAnnotation, DicomVR.CS, ["NO"]));
        report.Pixel = "blanked";
        report.PixelRule = rule.Name;
        report.Attributes.Add(new AttributeRecord(DicomTags.PixelData.ToString(), AttributeOutcome.Cleaned, "C", "pixel-rule", $"{rule.Rectangles.Count} rectangle(s) blanked"));
    }

    private static PixelGeometry GeometryOf(DicomDataset ds)
    {
        var framesText = DatasetValues.TopString(ds, DicomTags.NumberOfFrames);
        var frames = int.TryParse(framesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1;
        return new PixelGeometry(
            DatasetValues.TopUShort(ds, DicomTags.Rows) ?? 0,
            DatasetValues.TopUShort(ds, DicomTags.Columns) ?? 0,
            DatasetValues.TopUShort(ds, DicomTags.SamplesPerPixel) ?? 1,
            DatasetValues.TopUShort(ds, DicomTags.BitsAllocated) ?? 0,
            DatasetValues.TopUShort(ds, DicomTags.PlanarConfiguration) ?? 0,
            frames);
    }
}
