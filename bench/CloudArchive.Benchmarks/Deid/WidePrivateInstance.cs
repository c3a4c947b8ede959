using System.Globalization;
using CloudArchive.Dicom;

namespace CloudArchive.Benchmarks.Deid;

/// <summary>
/// Writes the worst case of element-by-element editing: CT_small.dcm with a very large number of empty private
/// elements (UN, 12 bytes each on the wire, so a million make a 12 MB instance), spread over odd groups from 0051
/// upwards with one creator per block of 256, as a hostile or broken gateway could send.
/// </summary>
internal static class WidePrivateInstance
{
    /// <summary>The first private group used; CT_small's own private groups end at 0043.</summary>
    private const ushort FirstGroup = 0x0051;

    /// <summary>
    /// Writes the instance to <paramref name="path"/> with <paramref name="elements"/> private elements, creators
    /// included (the reader's default cap is a million elements per file).
    /// </summary>
    public static async Task WriteAsync(string template, string path, int elements, CancellationToken cancellationToken)
    {
        await using var file = await DicomFile.OpenAsync(template, null, cancellationToken).ConfigureAwait(false);
        var ds = file.Dataset;
        var written = 0;
        for (var group = FirstGroup; written < elements; group += 2)
        {
            for (var block = 0x10; block <= 0xFF && written < elements; block++)
            {
                ds.Set(DicomValueElement.FromStrings(new DicomTag(group, (ushort)block), DicomVR.LO, ["WIDE BENCH " + block.ToString("X2", CultureInfo.InvariantCulture)]));
                written++;
                for (var e = 0; e <= 0xFF && written < elements; e++, written++)
                {
                    ds.Set(new DicomValueElement(new DicomTag(group, (ushort)((block << 8) | e)), DicomVR.UN, ReadOnlyMemory<byte>.Empty));
                }
            }
        }

        await file.SaveAsync(path, null, cancellationToken).ConfigureAwait(false);
    }
}
