using CloudArchive.Dicom;
using Xunit;

namespace CloudArchive.Deidentification.Tests;

/// <summary>
/// An instance with a huge number of private elements, every one removed: the edit must cost O(n) element moves at
/// every depth. Removing them one at a time from a shifting list was quadratic (85 s for a million elements), a CPU
/// denial of service on the export path. Work is counted, not timed.
/// </summary>
public sealed class WideInstanceTests
{
    private const int N = 60_000;

    private static void AddPrivateBlock(DicomDataset ds, int count)
    {
        var written = 0;
        for (var group = (ushort)0x0051; written < count; group += 2)
        {
            for (var block = 0x10; block <= 0xFF && written < count; block++)
            {
                ds.SetString(new DicomTag(group, (ushort)block), "WIDE " + block);
                written++;
                for (var e = 0; e <= 0xFF && written < count; e++, written++)
                {
                    ds.Set(new DicomValueElement(new DicomTag(group, (ushort)((block << 8) | e)), DicomVR.UN, ReadOnlyMemory<byte>.Empty));
                }
            }
        }
    }

    [Fact]
    public async Task Removing_every_private_element_of_a_wide_instance_and_of_its_items_moves_a_linear_number_of_slots()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3.4.5");
        ds.SetString(new DicomTag(0x0010, 0x0010), "Doe^Jane");
        var item = new DicomDataset();
        item.SetString(new DicomTag(0x0008, 0x1150), "1.2.840.10008.5.1.4.1.1.7");
        AddPrivateBlock(item, N);
        ds.Set(new DicomSequence(new DicomTag(0x0008, 0x1140), [item]));
        AddPrivateBlock(ds, N);
        var mainMovesBefore = ds.ElementMoves;
        var itemMovesBefore = item.ElementMoves;

        var result = await new Deidentifier(DeidSettings.Basic, KeyedMapperTests.Secret())
            .DeidentifyAsync(new DicomFile(ds), null, TestContext.Current.CancellationToken);

        Assert.Equal(InstanceOutcome.Deidentified, result.Report.Outcome);
        Assert.DoesNotContain(ds, e => (e.Tag.Group & 1) == 1);
        var keptItem = ((DicomSequence)ds[new DicomTag(0x0008, 0x1140)]).Items[0];
        Assert.DoesNotContain(keptItem, e => (e.Tag.Group & 1) == 1);
        // One sweep per level plus the marking attributes; shifting removals moved about N²/2 = 1.8 billion slots.
        Assert.InRange(ds.ElementMoves - mainMovesBefore, 0, 3L * N);
        Assert.InRange(keptItem.ElementMoves - (ReferenceEquals(keptItem, item) ? itemMovesBefore : 0), 0, 3L * N);
    }
}
