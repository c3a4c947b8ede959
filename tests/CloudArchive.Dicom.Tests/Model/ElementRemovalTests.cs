using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

/// <summary>
/// Removal leaves a marker and sweeps later (see DicomElementList): these check that nothing of that shows, and that
/// removing k of n elements moves O(n) slots, not O(k·n).
/// </summary>
public sealed class ElementRemovalTests
{
    private static DicomDataset Wide(int n)
    {
        var ds = new DicomDataset();
        for (var i = 0; i < n; i++)
        {
            ds.Set(new DicomValueElement(new DicomTag(0x0051, (ushort)(0x1000 + i)), DicomVR.UN, ReadOnlyMemory<byte>.Empty));
        }

        return ds;
    }

    [Fact]
    public void Removing_every_element_one_at_a_time_moves_a_bounded_number_of_slots()
    {
        const int n = 50_000;
        var ds = Wide(n);

        foreach (var tag in ds.Tags.ToList())
        {
            Assert.True(ds.Remove(tag));
        }

        Assert.Equal(0, ds.Count);
        Assert.Empty(ds);
        // A shifting RemoveAt moved n²/2 = 1.25 billion slots here; the sweep moves each slot once.
        Assert.InRange(ds.ElementMoves, 0, 2L * n);
    }

    [Fact]
    public void Removed_elements_are_absent_to_every_reader_before_and_after_the_sweep()
    {
        var ds = Wide(10);
        var gone = new DicomTag(0x0051, 0x1003);
        var last = new DicomTag(0x0051, 0x1009);

        Assert.True(ds.Remove(gone));
        Assert.True(ds.Remove(last));

        Assert.Equal(8, ds.Count);
        Assert.False(ds.Contains(gone));
        Assert.Null(ds.Get(gone));
        Assert.False(ds.TryGet(last, out _));
        Assert.Throws<KeyNotFoundException>(() => ds[gone]);
        Assert.False(ds.Remove(gone));
        Assert.DoesNotContain(gone, ds.Tags);
        Assert.DoesNotContain(ds, e => e.Tag == last);
        Assert.Equal(8, ds.Count);
    }

    [Fact]
    public void Setting_a_removed_tag_brings_it_back_in_order()
    {
        var ds = Wide(5);
        var tag = new DicomTag(0x0051, 0x1002);
        ds.Remove(tag);
        ds.Remove(new DicomTag(0x0051, 0x1004));

        ds.SetString(tag, "BACK", DicomVR.LO);
        ds.SetString(new DicomTag(0x0008, 0x0060), "CT");
        ds.SetString(new DicomTag(0x0051, 0x1003), "REPLACED", DicomVR.LO);

        Assert.Equal(5, ds.Count);
        Assert.Equal("BACK", ds.GetString(tag));
        Assert.Equal("REPLACED", ds.GetString(new DicomTag(0x0051, 0x1003)));
        var tags = ds.Tags.Select(t => t.Value).ToArray();
        Assert.Equal(tags.Order().ToArray(), tags);
        Assert.Equal(
            [new DicomTag(0x0008, 0x0060), new DicomTag(0x0051, 0x1000), new DicomTag(0x0051, 0x1001), tag, new DicomTag(0x0051, 0x1003)],
            ds.Tags.ToArray());
    }

    [Fact]
    public void Removing_while_enumerating_still_fails_as_it_did()
    {
        var ds = Wide(3);

        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var e in ds)
            {
                ds.Remove(e.Tag);
            }
        });
    }

    [Fact]
    public void A_removed_sequence_loses_its_parent_and_a_written_dataset_holds_no_trace_of_removals()
    {
        var ds = Wide(4);
        var seq = new DicomSequence(new DicomTag(0x0008, 0x1110), [new DicomDataset()]);
        ds.Set(seq);

        Assert.True(ds.Remove(seq.Tag));
        ds.Remove(new DicomTag(0x0051, 0x1001));

        Assert.Null(seq.Parent);
        var copy = ds.Clone();
        Assert.Equal(ds.Tags, copy.Tags);
        Assert.Equal(3, copy.Count);
    }
}
