using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Reading;

public sealed class StreamingTests
{
    [Theory]
    [InlineData("examples_overlay.dcm")]
    [InlineData("MR_small_bigendian.dcm")]
    [InlineData("image_dfl.dcm")]
    [InlineData("examples_ybr_color.dcm")]
    [InlineData("waveform_ecg.dcm")]
    [InlineData("rtdose.dcm")]
    public async Task Non_seekable_input_spools_bulk_values_and_reads_the_same_dataset(string name)
    {
        var temp = Directory.CreateTempSubdirectory("dicom-spool-");
        try
        {
            await using var reference = await DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestCancellation.Token);
            var options = new DicomReaderOptions { BulkDataThreshold = 64, TempDirectory = temp.FullName };
            var bytes = await File.ReadAllBytesAsync(Samples.PathOf(name), TestCancellation.Token);
            var spooled = await DicomFile.ReadAsync(new NonSeekableStream(new MemoryStream(bytes), 1000), options, TestCancellation.Token);
            await using (spooled)
            {
                Assert.Contains(spooled.Dataset.Descendants(), e => e is DicomValueElement { IsBulk: true });
                Assert.Single(temp.GetFiles());
                Assert.Equal(DatasetDump.Format(reference.Dataset), DatasetDump.Format(spooled.Dataset));
            }

            Assert.Empty(temp.GetFiles());
        }
        finally
        {
            temp.Delete(true);
        }
    }

    public static TheoryData<string> Readable()
    {
        var d = new TheoryData<string>();
        foreach (var n in Samples.AllNames().Where(n => !Samples.Unreadable.Contains(n)))
        {
            d.Add(n);
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(Readable))]
    public async Task Every_sample_reads_the_same_with_every_value_bulk_from_a_shared_stream_or_a_spool(string name)
    {
        await using var reference = await DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestCancellation.Token);
        var expected = DatasetDump.Format(reference.Dataset);
        var bytes = await File.ReadAllBytesAsync(Samples.PathOf(name), TestCancellation.Token);
        var allBulk = new DicomReaderOptions { BulkDataThreshold = 0 };
        await using (var shared = await DicomFile.ReadAsync(new MemoryStream(bytes), allBulk, TestCancellation.Token))
        {
            Assert.Equal(expected, DatasetDump.Format(shared.Dataset));
        }

        await using (var spooled = await DicomFile.ReadAsync(new NonSeekableStream(new MemoryStream(bytes), 777), allBulk, TestCancellation.Token))
        {
            Assert.Equal(expected, DatasetDump.Format(spooled.Dataset));
        }

        await using (var fromFile = await DicomFile.OpenAsync(Samples.PathOf(name), allBulk, TestCancellation.Token))
        {
            Assert.Equal(expected, DatasetDump.Format(fromFile.Dataset));
            Assert.Equal(await Part10.WriteAsync(reference), await Part10.WriteAsync(fromFile));
        }
    }

    [Fact]
    public async Task Inline_budget_turns_further_small_values_into_bulk_data()
    {
        var options = new DicomReaderOptions { MaxInlineBytes = 1000 };
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), options, TestCancellation.Token);
        await using var reference = await DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), cancellationToken: TestCancellation.Token);
        var values = f.Dataset.Descendants().OfType<DicomValueElement>().ToList();
        Assert.InRange(values.Where(v => !v.IsBulk).Sum(v => v.Length), 1, 1000);
        Assert.Contains(values, v => v.IsBulk && v.Length < 100);
        Assert.Equal(DatasetDump.Format(reference.Dataset), DatasetDump.Format(f.Dataset));
    }

    [Fact]
    public async Task All_bulk_big_endian_values_are_swapped_on_demand()
    {
        var options = new DicomReaderOptions { BulkDataThreshold = 0 };
        await using var be = await DicomFile.OpenAsync(Samples.PathOf("MR_small_bigendian.dcm"), options, TestCancellation.Token);
        await using var le = await DicomFile.OpenAsync(Samples.PathOf("MR_small.dcm"), cancellationToken: TestCancellation.Token);
        var pixels = (DicomValueElement)be.Dataset[DicomTags.PixelData];
        Assert.True(pixels.IsBulk);
        Assert.Equal(((DicomValueElement)le.Dataset[DicomTags.PixelData]).GetValues<ushort>(), pixels.GetValues<ushort>());
        Assert.Equal(le.Dataset.GetValue<ushort>(new DicomTag(0x0028, 0x0010)), be.Dataset.GetValue<ushort>(new DicomTag(0x0028, 0x0010)));
        Assert.Equal(le.Dataset.GetString(new DicomTag(0x0018, 0x0050)), be.Dataset.GetString(new DicomTag(0x0018, 0x0050)));
    }

    [Fact]
    public async Task Bulk_values_open_independent_streams_that_can_be_read_concurrently()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("examples_overlay.dcm"), cancellationToken: TestCancellation.Token);
        var pixel = (DicomValueElement)f.Dataset[DicomTags.PixelData];
        Assert.True(pixel.IsBulk);
        var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => pixel.GetBytes().ToArray(), TestCancellation.Token)));
        Assert.All(reads, r => Assert.Equal(reads[0], r));
        Assert.Equal(pixel.Length, reads[0].Length);
    }

    [Fact]
    public async Task Caller_stream_is_referenced_by_default_and_spooled_on_request()
    {
        var bytes = await File.ReadAllBytesAsync(Samples.PathOf("examples_overlay.dcm"), TestCancellation.Token);
        var expected = await ReadPixelBytesAsync(new MemoryStream(bytes), null);

        var stream = new MemoryStream(bytes);
        await using var spooled = await DicomFile.ReadAsync(stream, new DicomReaderOptions { SpoolSeekableStreams = true }, TestCancellation.Token);
        await stream.DisposeAsync();
        Assert.Equal(expected, ((DicomValueElement)spooled.Dataset[DicomTags.PixelData]).GetBytes().ToArray());
    }

    [Fact]
    public async Task Reading_a_bulk_value_during_parse_does_not_disturb_the_shared_stream()
    {
        // Threshold 0 makes Pixel Representation bulk; the implicit VR reader reads it back to resolve "US or SS".
        var bytes = await File.ReadAllBytesAsync(Samples.PathOf("MR_small_implicit.dcm"), TestCancellation.Token);
        await using var f = await DicomFile.ReadAsync(new MemoryStream(bytes), new DicomReaderOptions { BulkDataThreshold = 0 }, TestCancellation.Token);
        await using var reference = await DicomFile.OpenAsync(Samples.PathOf("MR_small_implicit.dcm"), cancellationToken: TestCancellation.Token);
        Assert.Equal(DatasetDump.Format(reference.Dataset), DatasetDump.Format(f.Dataset));
    }

    [Fact]
    public async Task Writer_copies_bulk_values_from_a_stream_factory()
    {
        var ds = new DicomDataset();
        ds.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.SetString(DicomTags.SOPInstanceUID, "2.25.42");
        ds.Set(DicomValueElement.FromValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16));
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        ds.Set(new DicomValueElement(DicomTags.PixelData, DicomVR.OW, DicomBulkData.FromStreamFactory(() => new MemoryStream(payload), payload.Length)));
        var file = new DicomFile(ds);
        foreach (var ts in new[] { TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRBigEndian, TransferSyntax.DeflatedExplicitVRLittleEndian, TransferSyntax.ImplicitVRLittleEndian })
        {
            var bytes = await Part10.WriteAsync(file, new DicomWriterOptions { TransferSyntax = ts, BufferSize = 4096 });
            await using var back = await Part10.ReadAsync(bytes);
            Assert.Equal(payload, ((DicomValueElement)back.Dataset[DicomTags.PixelData]).GetBytes().ToArray());
            Assert.Equal("2.25.42", back.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID));
        }
    }

    private static async Task<byte[]> ReadPixelBytesAsync(Stream s, DicomReaderOptions? o)
    {
        await using var f = await DicomFile.ReadAsync(s, o, TestCancellation.Token);
        return ((DicomValueElement)f.Dataset[DicomTags.PixelData]).GetBytes().ToArray();
    }
}
