using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Model;

public sealed class DatasetTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);

    [Fact]
    public void Elements_are_kept_in_tag_order_whatever_the_insertion_order()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientId, "ID1");
        ds.SetString(DicomTags.SOPInstanceUID, "2.25.1");
        ds.SetString(PatientName, "DOE^JOHN");
        Assert.Equal(new[] { DicomTags.SOPInstanceUID, PatientName, PatientId }, ds.Tags.ToArray());
        Assert.Equal(3, ds.Count);
    }

    [Fact]
    public void Set_replaces_add_rejects_duplicates_and_remove_reports_absence()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientName, "A^B");
        ds.SetString(PatientName, "C^D");
        Assert.Equal("C^D", ds.GetString(PatientName));
        Assert.Throws<ArgumentException>(() => ds.Add(DicomValueElement.FromStrings(PatientName, DicomVR.PN, new[] { "E" })));
        Assert.True(ds.Remove(PatientName));
        Assert.False(ds.Remove(PatientName));
        Assert.Null(ds.GetString(PatientName));
        Assert.Empty(ds.GetStrings(PatientName));
    }

    [Fact]
    public void String_values_are_padded_to_even_length_by_vr()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientName, "ABC");
        ds.SetString(DicomTags.SOPInstanceUID, "1.2.3");
        Assert.Equal("ABC "u8.ToArray(), ((DicomValueElement)ds[PatientName]).Bytes.ToArray());
        Assert.Equal("1.2.3\0"u8.ToArray(), ((DicomValueElement)ds[DicomTags.SOPInstanceUID]).Bytes.ToArray());
        Assert.Equal("1.2.3", ds.GetString(DicomTags.SOPInstanceUID));
    }

    [Fact]
    public void Multi_valued_strings_split_at_backslashes_but_text_vrs_do_not()
    {
        var ds = new DicomDataset();
        ds.SetStrings(new DicomTag(0x0008, 0x0008), new[] { "ORIGINAL", "PRIMARY" });
        ds.SetString(new DicomTag(0x0010, 0x4000), @"a\b");
        Assert.Equal(new[] { "ORIGINAL", "PRIMARY" }, ds.GetStrings(new DicomTag(0x0008, 0x0008)));
        Assert.Equal(new[] { @"a\b" }, ds.GetStrings(new DicomTag(0x0010, 0x4000)));
    }

    [Fact]
    public void Binary_values_numbers_and_tags_round_trip_through_the_typed_accessors()
    {
        var rows = DicomValueElement.FromValues<ushort>(new DicomTag(0x0028, 0x0010), DicomVR.US, 512);
        var spacing = DicomValueElement.FromStrings(new DicomTag(0x0028, 0x0030), DicomVR.DS, new[] { "0.5", "-1.25e2" });
        var frames = DicomValueElement.FromStrings(new DicomTag(0x0028, 0x0008), DicomVR.IS, new[] { " 12" });
        var pointer = DicomValueElement.FromTags(new DicomTag(0x0028, 0x0009), new DicomTag(0x0018, 0x1063));
        Assert.Equal(new ushort[] { 512 }, rows.GetValues<ushort>());
        Assert.Equal("512", rows.GetString());
        Assert.Equal(new[] { 0.5, -125.0 }, spacing.GetDecimalStrings());
        Assert.Equal(new long[] { 12 }, frames.GetIntegerStrings());
        Assert.Equal(new DicomTag(0x0018, 0x1063), Assert.Single(pointer.GetTags()));
        Assert.Equal("(0018,1063)", pointer.GetString());
    }

    [Fact]
    public void Descendants_walk_into_nested_items_depth_first()
    {
        var inner = new DicomDataset();
        inner.SetString(PatientId, "NESTED");
        var outer = new DicomDataset();
        outer.SetString(PatientId, "TOP");
        outer.Set(new DicomSequence(new DicomTag(0x0010, 0x1002), new[] { inner }));
        var ids = outer.Descendants().Where(e => e.Tag == PatientId).Cast<DicomValueElement>().Select(e => e.GetString()).ToArray();
        Assert.Equal(new[] { "TOP", "NESTED" }, ids);
        Assert.Same(outer, ((DicomSequence)outer[new DicomTag(0x0010, 0x1002)]).Parent);
        Assert.Same(outer[new DicomTag(0x0010, 0x1002)], inner.ParentSequence);
    }

    [Fact]
    public async Task Clone_is_deep_so_editing_the_copy_leaves_the_original_intact()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), cancellationToken: TestCancellation.Token);
        var before = DatasetDump.Format(f.Dataset);
        var copy = f.Dataset.Clone();
        Assert.Equal(before, DatasetDump.Format(copy));
        foreach (var item in copy.Descendants().OfType<DicomSequence>().SelectMany(s => s.Items).ToList())
        {
            item.Remove(PatientId);
        }

        copy.Remove(PatientName);
        Assert.Equal(before, DatasetDump.Format(f.Dataset));
        Assert.Equal(1, copy.Descendants().Count(e => e.Tag == PatientId));
    }

    [Fact]
    public async Task Nested_phi_of_ct_small_is_reachable_by_walking()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Equal(3, f.Dataset.Descendants().Count(e => e.Tag == PatientId));
    }

    [Fact]
    public async Task Private_creator_of_a_private_element_is_resolved_from_its_block()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("dicom3tools_0051.dcm"), cancellationToken: TestCancellation.Token);
        var csa = f.Dataset.Tags.First(t => t.Group == 0x0029 && t.IsPrivateData);
        var creator = f.Dataset.GetPrivateCreator(csa);
        Assert.StartsWith("SIEMENS", creator, StringComparison.Ordinal);
        Assert.Same(f.Dataset[csa], f.Dataset.GetPrivate(0x0029, creator!, (byte)(csa.Element & 0xFF)));
        Assert.Null(f.Dataset.GetPrivate(0x0029, "NO SUCH CREATOR", 0x10));
        Assert.Null(f.Dataset.GetPrivateCreator(PatientName));
    }

    [Fact]
    public async Task Un_values_of_known_tags_are_interpreted_with_the_dictionary_vr()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("explicit_VR-UN.dcm"), cancellationToken: TestCancellation.Token);
        var name = (DicomValueElement)f.Dataset[PatientName];
        Assert.Equal(DicomVR.UN, name.VR);
        Assert.Equal(DicomVR.PN, name.ValueVR);
        Assert.Equal("PANCREAS_0001", name.GetString());
    }

    [Fact]
    public async Task Implicit_vr_resolves_ambiguous_and_private_vrs_from_context()
    {
        await using var implicitMr = await DicomFile.OpenAsync(Samples.PathOf("MR_small_implicit.dcm"), cancellationToken: TestCancellation.Token);
        await using var explicitMr = await DicomFile.OpenAsync(Samples.PathOf("MR_small.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Equal(explicitMr.Dataset[DicomTags.PixelData].VR, implicitMr.Dataset[DicomTags.PixelData].VR);
        Assert.Equal(DicomVR.OW, implicitMr.Dataset[DicomTags.PixelData].VR);
        var smallest = new DicomTag(0x0028, 0x0106);
        if (explicitMr.Dataset.Contains(smallest))
        {
            Assert.Equal(explicitMr.Dataset[smallest].VR, implicitMr.Dataset[smallest].VR);
        }

        await using var priv = await DicomFile.OpenAsync(Samples.PathOf("nested_priv_SQ.dcm"), cancellationToken: TestCancellation.Token);
        var outer = Assert.IsType<DicomSequence>(priv.Dataset[new DicomTag(0x0001, 0x0001)]);
        var nested = Assert.IsType<DicomSequence>(outer.Items[0][new DicomTag(0x0001, 0x0001)]);
        Assert.Equal("Double Nested SQ"u8.ToArray(), ((DicomValueElement)nested.Items[0][new DicomTag(0x0001, 0x0001)]).Bytes.ToArray());

        await using var un = await DicomFile.OpenAsync(Samples.PathOf("UN_sequence.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Contains(un.Dataset.Descendants(), e => e is DicomSequence && e.Tag.IsPrivate);
    }

    [Fact]
    public async Task Rtdose_pixel_data_in_implicit_vr_with_32_bit_samples_is_ow()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("rtdose.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Equal(DicomVR.OW, f.Dataset[DicomTags.PixelData].VR);
        Assert.Equal(15L, f.Dataset.GetStrings(new DicomTag(0x0028, 0x0008)).Select(long.Parse).Single());
    }

    [Fact]
    public void Random_set_remove_and_lookup_sequences_match_a_sorted_dictionary_model()
    {
        // The dataset's own sorted storage (append fast path + binary search) against the framework's sorted map.
        var rng = new Random(20261122);
        var ds = new DicomDataset();
        var model = new SortedDictionary<uint, DicomElement>();
        for (var op = 0; op < 5000; op++)
        {
            // A small tag space so that replacements, removals of present tags and inserts in the middle all happen.
            var tag = new DicomTag((ushort)(0x0008 + (2 * rng.Next(4))), (ushort)rng.Next(64));
            switch (rng.Next(4))
            {
                case 0:
                case 1:
                    var e = new DicomValueElement(tag, DicomVR.OB, new byte[] { (byte)op, (byte)(op >> 8) });
                    ds.Set(e);
                    model[tag.Value] = e;
                    break;
                case 2:
                    Assert.Equal(model.Remove(tag.Value), ds.Remove(tag));
                    break;
                default:
                    Assert.Equal(model.ContainsKey(tag.Value), ds.Contains(tag));
                    Assert.Same(model.GetValueOrDefault(tag.Value), ds.Get(tag));
                    if (!model.ContainsKey(tag.Value))
                    {
                        Assert.Throws<KeyNotFoundException>(() => ds[tag]);
                    }

                    break;
            }
        }

        Assert.Equal(model.Keys, ds.Tags.Select(t => t.Value));
        Assert.Equal(model.Values, ds.ToList());
        Assert.Equal(model.Count, ds.Count);
    }
}
