using System.IO.Compression;
using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Robustness;

public sealed class MalformedInputTests
{
    private static readonly TransferSyntax ExplicitLE = TransferSyntax.ExplicitVRLittleEndian;

    [Theory]
    [InlineData("MR_truncated.dcm", 0x7FE0, 0x0010)]
    [InlineData("rtplan_truncated.dcm", 0x300A, 0x00B0)]
    [InlineData("emri_small_jpeg_2k_lossless_too_short.dcm", 0x7FE0, 0x0010)]
    public async Task Truncated_sample_fails_with_offset_and_tag(string name, ushort group, ushort element)
    {
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestCancellation.Token));
        Assert.Equal(new DicomTag(group, element), ex.Tag);
        Assert.InRange(ex.Offset, 132, new FileInfo(Samples.PathOf(name)).Length);
        Assert.Contains("offset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_meta_sample_with_a_stray_leading_byte_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => DicomFile.OpenAsync(Samples.PathOf("no_meta.dcm"), cancellationToken: TestCancellation.Token));
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public async Task Meta_without_transfer_syntax_is_read_with_a_detected_syntax()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("meta_missing_tsyntax.dcm"), cancellationToken: TestCancellation.Token);
        Assert.True(f.TransferSyntaxWasGuessed);
        Assert.Equal(TransferSyntax.ImplicitVRLittleEndian, f.TransferSyntax);
        Assert.False(f.FileMetaInformation.Contains(DicomTags.TransferSyntaxUID));
        Assert.IsType<DicomSequence>(f.Dataset[new DicomTag(0x0001, 0x0001)]);
    }

    [Fact]
    public async Task Bad_is_value_is_kept_and_only_its_typed_accessor_fails()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("badVR.dcm"), cancellationToken: TestCancellation.Token);
        var frames = (DicomValueElement)f.Dataset[new DicomTag(0x0028, 0x0008)];
        Assert.Equal("1A", frames.GetString());
        var error = Assert.Throws<DicomValueException>(() => frames.GetIntegerStrings());
        Assert.Equal(new DicomTag(0x0028, 0x0008), error.Tag);
        Assert.DoesNotContain("1A", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Un_element_holding_an_implicit_vr_sequence_in_an_explicit_file_is_kept_as_un()
    {
        // bad_sequence.dcm: (0018,9346) is stored as UN (defined length) with implicit VR items inside, as dcmtk shows it.
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("bad_sequence.dcm"), cancellationToken: TestCancellation.Token);
        var un = Assert.IsType<DicomValueElement>(f.Dataset[new DicomTag(0x0018, 0x9346)]);
        Assert.Equal(DicomVR.UN, un.VR);
        Assert.Equal(68, un.Length);
        Assert.IsType<DicomFragmentSequence>(f.Dataset[DicomTags.PixelData]);
    }

    [Fact]
    public async Task Odd_fragment_and_space_padded_uids_of_gdcm_sample_are_tolerated()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("gdcm_00191113.dcm"), cancellationToken: TestCancellation.Token);
        var pixel = Assert.IsType<DicomFragmentSequence>(f.Dataset[DicomTags.PixelData]);
        Assert.Contains(pixel.Fragments, fr => fr.Length % 2 == 1);
        var written = await Part10.WriteAsync(f);
        await using var back = await Part10.ReadAsync(written);
        var again = Assert.IsType<DicomFragmentSequence>(back.Dataset[DicomTags.PixelData]);
        Assert.All(again.Fragments, fr => Assert.Equal(0, fr.Length % 2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Lying_length_in_a_1_KiB_file_fails_fast_with_offset_and_tag_without_allocating_it(bool seekable)
    {
        var body = new Synthetic().ShortElement(0x0008, 0x0060, "CS", "MR").LongHeader(0x0010, 0x4000, "UT", 0xFFFFFFF0);
        while (body.Length < 700)
        {
            body.Ascii("PADDING ");
        }

        var bytes = body.ToFile(ExplicitLE);
        Assert.InRange(bytes.Length, 900, 1024);
        // Measured synchronously: an await could resume on another pool thread, whose counter includes other tests' work.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => ReadAsync(bytes, seekable).GetAwaiter().GetResult());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(new DicomTag(0x0010, 0x4000), ex.Tag);
        // Seekable input knows its size and fails at the element; a stream fails where its data ends.
        Assert.Equal(seekable ? Synthetic.Header(ExplicitLE).Length + 10 : bytes.Length, ex.Offset);
        Assert.InRange(allocated, 0, 4 << 20);
    }

    [Fact]
    public void Lying_length_below_the_bulk_threshold_on_a_non_seekable_stream_is_not_allocated_up_front()
    {
        var bytes = new Synthetic().LongHeader(0x0010, 0x4000, "UT", 0x7FFFFFF0).Ascii("SHORT VALUE ").ToFile(ExplicitLE);
        var options = new DicomReaderOptions { BulkDataThreshold = int.MaxValue };
        // Measured synchronously: an await could resume on another pool thread, whose counter includes other tests' work.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<DicomFormatException>(() => DicomFile.ReadAsync(new NonSeekableStream(new MemoryStream(bytes)), options, TestCancellation.Token).GetAwaiter().GetResult());
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 8 << 20);
        Assert.Contains("truncated", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lying_item_and_sequence_lengths_are_checked_against_the_enclosing_lengths()
    {
        var seq = new Synthetic().LongHeader(0x0008, 0x1140, "SQ", 16).Item(0xFFFFFF00).ShortElement(0x0008, 0x1150, "UI", "1.2").ToFile(ExplicitLE);
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(seq, true));
        Assert.Equal(new DicomTag(0x0008, 0x1140), ex.Tag);

        var overrun = new Synthetic().LongHeader(0x0008, 0x1140, "SQ", 12).Item(12).ShortElement(0x0008, 0x1150, "UI", "1.2.3.4").ToFile(ExplicitLE);
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(overrun, true));
    }

    [Fact]
    public async Task Unterminated_undefined_length_sequence_fails_as_truncated()
    {
        var bytes = new Synthetic().LongHeader(0x0008, 0x1140, "SQ", 0xFFFFFFFF).Item(0xFFFFFFFF).ShortElement(0x0008, 0x1150, "UI", "1.2").ToFile(ExplicitLE);
        foreach (var seekable in new[] { true, false })
        {
            var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, seekable));
            Assert.Contains("truncated", ex.Reason, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public async Task Nesting_deeper_than_the_limit_fails(int depth, bool accepted)
    {
        var s = new Synthetic();
        for (var i = 0; i < depth; i++)
        {
            s.LongHeader(0x0040, 0xA730, "SQ", 0xFFFFFFFF).Item(0xFFFFFFFF);
        }

        s.ShortElement(0x0040, 0xA160, "LO", "x ");
        for (var i = 0; i < depth; i++)
        {
            s.ItemEnd().SequenceEnd();
        }

        var bytes = s.ToFile(ExplicitLE);
        if (accepted)
        {
            await using var f = await ReadAsync(bytes, true);
            Assert.Equal(depth + 1, f.Dataset.Descendants().Count());
        }
        else
        {
            var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, true));
            Assert.Contains("nesting", ex.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Endless_nesting_of_a_million_levels_fails_quickly_without_stack_overflow()
    {
        var s = new Synthetic();
        for (var i = 0; i < 100_000; i++)
        {
            s.LongHeader(0x0040, 0xA730, "SQ", 0xFFFFFFFF).Item(0xFFFFFFFF);
        }

        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(s.ToFile(ExplicitLE), false));
        Assert.Equal(new DicomTag(0x0040, 0xA730), ex.Tag);
    }

    [Fact]
    public async Task Deflate_bomb_is_rejected_by_the_ratio_guard_before_it_is_inflated()
    {
        // One OB element that claims almost 4 GiB, followed by 256 MiB of zeros: about 256 KiB compressed (1000:1).
        using var compressed = new MemoryStream();
        var header = new Synthetic().LongHeader(0x7FE0, 0x0010, "OB", 0xFFFFFFF0).Body();
        using (var d = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            d.Write(header);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 256; i++)
            {
                d.Write(zeros);
            }
        }

        var bytes = Synthetic.Header(TransferSyntax.DeflatedExplicitVRLittleEndian).Concat(compressed.ToArray()).ToArray();
        Assert.InRange(bytes.Length, 1, 1 << 20);
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, true));
        Assert.Contains("deflate bomb", ex.Reason, StringComparison.Ordinal);

        var limited = new DicomReaderOptions { MaxInflatedLength = 1 << 20 };
        var ex2 = await Assert.ThrowsAsync<DicomFormatException>(() => DicomFile.ReadAsync(new MemoryStream(bytes), limited, TestCancellation.Token));
        Assert.Contains("limit", ex2.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_deflate_stream_is_a_format_error()
    {
        var bytes = Synthetic.Header(TransferSyntax.DeflatedExplicitVRLittleEndian).Concat(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x12, 0x34 }).ToArray();
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, true));
    }

    [Fact]
    public async Task Odd_length_for_a_fixed_size_binary_vr_is_rejected_in_explicit_vr()
    {
        var bytes = new Synthetic().Tag(0x0028, 0x0010).Ascii("US").U16(3).Bytes(1, 2, 3).ToFile(ExplicitLE);
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, true));
        Assert.Equal(new DicomTag(0x0028, 0x0010), ex.Tag);
    }

    [Fact]
    public async Task Duplicate_element_is_rejected()
    {
        var bytes = new Synthetic().ShortElement(0x0010, 0x0010, "PN", "A^B ").ShortElement(0x0010, 0x0010, "PN", "C^D ").ToFile(ExplicitLE);
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(bytes, true));
        Assert.Contains("duplicate", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Item_tag_outside_a_sequence_and_undefined_length_on_a_string_vr_are_rejected()
    {
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(new Synthetic().Item(0).ToFile(ExplicitLE), true));
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(new Synthetic().LongHeader(0x0010, 0x4000, "UT", 0xFFFFFFFF).ToFile(ExplicitLE), true));
    }

    [Fact]
    public async Task Unknown_upper_case_vr_is_read_as_un_with_a_32_bit_length()
    {
        var bytes = new Synthetic().LongHeader(0x0011, 0x0010, "ZZ", 4).Bytes(1, 2, 3, 4).ToFile(ExplicitLE);
        await using var f = await ReadAsync(bytes, true);
        var e = Assert.IsType<DicomValueElement>(f.Dataset[new DicomTag(0x0011, 0x0010)]);
        Assert.Equal(DicomVR.UN, e.VR);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, e.Bytes.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(131)]
    public async Task Empty_or_tiny_input_is_not_dicom(int length)
    {
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(new byte[length], true));
        Assert.InRange(ex.Offset, 0, length);
    }

    [Fact]
    public async Task Text_file_is_rejected_as_not_dicom()
    {
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("hello, this is not a DICOM file at all\n", 40)));
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(text, true));
        await Assert.ThrowsAsync<DicomFormatException>(() => ReadAsync(text, false));
    }

    [Fact]
    public async Task Element_count_limit_stops_a_flood_of_tiny_elements()
    {
        var s = new Synthetic();
        for (ushort e = 0x1000; e < 0x1000 + 2000; e++)
        {
            s.ShortElement(0x0009, e, "LO", string.Empty);
        }

        var bytes = s.ToFile(ExplicitLE);
        var ex = await Assert.ThrowsAsync<DicomFormatException>(() => DicomFile.ReadAsync(new MemoryStream(bytes), new DicomReaderOptions { MaxElementCount = 1000 }, TestCancellation.Token));
        Assert.Contains("too many", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_stops_the_reader()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), cancellationToken: cts.Token));
    }

    [Theory]
    [InlineData("test-SR.dcm")]
    [InlineData("rtstruct.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("image_dfl.dcm")]
    public async Task Every_prefix_of_a_sample_is_either_a_dataset_or_a_format_error(string name)
    {
        var bytes = await File.ReadAllBytesAsync(Samples.PathOf(name), TestCancellation.Token);
        var step = bytes.Length > 8000 ? 7 : 1;
        for (var cut = 0; cut < bytes.Length; cut += step)
        {
            try
            {
                await using var f = await DicomFile.ReadAsync(new MemoryStream(bytes, 0, cut, false), cancellationToken: TestCancellation.Token);
            }
            catch (DicomFormatException)
            {
            }
        }
    }

    private static async Task<DicomFile> ReadAsync(byte[] bytes, bool seekable)
    {
        Stream s = new MemoryStream(bytes, false);
        if (!seekable)
        {
            s = new NonSeekableStream(s);
        }

        return await DicomFile.ReadAsync(s, cancellationToken: TestCancellation.Token);
    }
}
