using CloudArchive.Dicom.Tests.Support;
using Xunit;

namespace CloudArchive.Dicom.Tests.Writing;

public sealed class TranscodeTests
{
    private static readonly TransferSyntax[] Native =
    {
        TransferSyntax.ImplicitVRLittleEndian,
        TransferSyntax.ExplicitVRLittleEndian,
        TransferSyntax.ExplicitVRBigEndian,
        TransferSyntax.DeflatedExplicitVRLittleEndian,
    };

    public static TheoryData<string, string> NativeSamplesAndTargets()
    {
        var d = new TheoryData<string, string>();
        foreach (var n in Samples.AllNames().Where(n => !Samples.Unreadable.Contains(n)))
        {
            using var f = DicomFile.OpenAsync(Samples.PathOf(n)).GetAwaiter().GetResult();
            if (f.TransferSyntax.IsEncapsulated)
            {
                continue;
            }

            foreach (var ts in Native)
            {
                d.Add(n, ts.Uid);
            }
        }

        return d;
    }

    [Theory]
    [MemberData(nameof(NativeSamplesAndTargets))]
    public async Task Transcoding_a_native_sample_preserves_every_value(string name, string targetUid)
    {
        var target = TransferSyntax.Lookup(targetUid);
        await using var original = await DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestCancellation.Token);
        var bytes = await Part10.WriteAsync(original, new DicomWriterOptions { TransferSyntax = target });
        await using var back = await Part10.ReadAsync(bytes);

        Assert.Equal(target.Uid, back.TransferSyntax.Uid);

        // Implicit VR cannot carry VRs the dictionary does not know (private data reads back as UN) nor the choice
        // made for an ambiguous VR, so the VR column is compared only between explicit syntaxes; values always.
        var bothExplicit = original.TransferSyntax.IsExplicitVR && target.IsExplicitVR && !original.TransferSyntaxWasGuessed;
        Assert.Equal(
            DatasetDump.Format(original.Dataset, includeVR: bothExplicit, ignoreGroupLengths: true),
            DatasetDump.Format(back.Dataset, includeVR: bothExplicit, ignoreGroupLengths: true));
    }

    [Theory]
    [InlineData("MR_small_implicit.dcm", "MR_small.dcm")]
    [InlineData("MR_small_bigendian.dcm", "MR_small.dcm")]
    public async Task Twin_samples_in_different_transfer_syntaxes_have_the_same_pixel_data(string a, string b)
    {
        await using var fa = await DicomFile.OpenAsync(Samples.PathOf(a), cancellationToken: TestCancellation.Token);
        await using var fb = await DicomFile.OpenAsync(Samples.PathOf(b), cancellationToken: TestCancellation.Token);
        var pa = ((DicomValueElement)fa.Dataset[DicomTags.PixelData]).GetValues<ushort>();
        var pb = ((DicomValueElement)fb.Dataset[DicomTags.PixelData]).GetValues<ushort>();
        Assert.Equal(pb, pa);
        Assert.Equal(fb.Dataset.GetString(new DicomTag(0x0010, 0x0010)), fa.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public async Task Big_endian_output_swaps_16_bit_pixel_data_and_keeps_8_bit_ob_as_is()
    {
        await using var mr = await DicomFile.OpenAsync(Samples.PathOf("MR_small.dcm"), cancellationToken: TestCancellation.Token);
        var pixels = ((DicomValueElement)mr.Dataset[DicomTags.PixelData]).Bytes.ToArray();
        var be = await Part10.WriteAsync(mr, new DicomWriterOptions { TransferSyntax = TransferSyntax.ExplicitVRBigEndian });
        var at = be.AsSpan().IndexOf(new byte[] { 0x7F, 0xE0, 0x00, 0x10, (byte)'O', (byte)'W' });
        Assert.True(at > 0);
        var stored = be.AsSpan(at + 12, pixels.Length).ToArray();
        Assert.Equal(pixels[1], stored[0]);
        Assert.Equal(pixels[0], stored[1]);

        await using var us = await DicomFile.OpenAsync(Samples.PathOf("ExplVR_BigEnd.dcm"), cancellationToken: TestCancellation.Token);
        var rgb = (DicomValueElement)us.Dataset[DicomTags.PixelData];
        Assert.Equal(DicomVR.OB, rgb.VR);
        var input = await File.ReadAllBytesAsync(Samples.PathOf("ExplVR_BigEnd.dcm"), TestCancellation.Token);
        var first = rgb.IsBulk ? ReadStart(rgb, 16) : rgb.Bytes[..16].ToArray();
        Assert.True(input.AsSpan().IndexOf(first) > 0);
    }

    [Theory]
    [InlineData(SequenceLengthEncoding.Defined)]
    [InlineData(SequenceLengthEncoding.Undefined)]
    public async Task Sequence_length_encoding_is_chosen_by_option_and_preserves_the_dataset(SequenceLengthEncoding mode)
    {
        foreach (var name in new[] { "test-SR.dcm", "waveform_ecg.dcm", "eCT_Supplemental.dcm", "rtdose.dcm" })
        {
            await using var original = await DicomFile.OpenAsync(Samples.PathOf(name), cancellationToken: TestCancellation.Token);
            var bytes = await Part10.WriteAsync(original, new DicomWriterOptions { SequenceLengths = mode });
            await using var back = await Part10.ReadAsync(bytes);
            Assert.Equal(DatasetDump.Format(original.Dataset), DatasetDump.Format(back.Dataset));
            var sequences = back.Dataset.Descendants().OfType<DicomSequence>().ToList();
            Assert.NotEmpty(sequences);
            Assert.All(sequences, s => Assert.Equal(mode == SequenceLengthEncoding.Undefined, s.UndefinedLength));
            Assert.All(sequences.SelectMany(s => s.Items), i => Assert.Equal(mode == SequenceLengthEncoding.Undefined, i.UndefinedLength));
        }
    }

    [Fact]
    public async Task Encapsulated_pixel_data_cannot_be_written_in_a_native_or_other_encapsulated_syntax()
    {
        await using var jpeg = await DicomFile.OpenAsync(Samples.PathOf("JPEG2000.dcm"), cancellationToken: TestCancellation.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Part10.WriteAsync(jpeg, new DicomWriterOptions { TransferSyntax = TransferSyntax.ExplicitVRLittleEndian }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Part10.WriteAsync(jpeg, new DicomWriterOptions { TransferSyntax = TransferSyntax.Lookup("1.2.840.10008.1.2.4.50") }));
        await using var mr = await DicomFile.OpenAsync(Samples.PathOf("MR_small.dcm"), cancellationToken: TestCancellation.Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Part10.WriteAsync(mr, new DicomWriterOptions { TransferSyntax = TransferSyntax.Lookup("1.2.840.10008.1.2.4.90") }));
    }

    [Fact]
    public async Task Encapsulated_fragments_are_passed_through_byte_for_byte()
    {
        var input = await File.ReadAllBytesAsync(Samples.PathOf("JPEG2000-embedded-sequence-delimiter.dcm"), TestCancellation.Token);
        await using var f = await Part10.ReadAsync(input);
        var pixel = Assert.IsType<DicomFragmentSequence>(f.Dataset[DicomTags.PixelData]);
        var fragment = Assert.Single(pixel.Fragments);
        var data = fragment.Bytes.ToArray();

        // The fragment really contains the sequence delimiter pattern that a delimiter-scanning parser would stop at.
        Assert.True(data.AsSpan().IndexOf(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0 }) >= 0);
        Assert.True(input.AsSpan().IndexOf(data) > 0);
        var output = await Part10.WriteAsync(f);
        Assert.True(output.AsSpan().IndexOf(data) > 0);
    }

    [Fact]
    public async Task Dataset_without_meta_can_be_written_and_read_back_with_a_known_syntax()
    {
        await using var f = await DicomFile.OpenAsync(Samples.PathOf("CT_small.dcm"), cancellationToken: TestCancellation.Token);
        foreach (var ts in Native)
        {
            using var ms = new MemoryStream();
            await DicomWriter.WriteDatasetAsync(ms, f.Dataset, ts, cancellationToken: TestCancellation.Token);
            ms.Position = 0;
            await using var back = await DicomReader.ReadDatasetAsync(ms, ts, cancellationToken: TestCancellation.Token);
            Assert.Equal(DatasetDump.Format(f.Dataset, includeVR: ts.IsExplicitVR), DatasetDump.Format(back.Dataset, includeVR: ts.IsExplicitVR));
            if (!ts.IsDeflated)
            {
                // And without telling the reader: the encoding is detected from the first element.
                ms.Position = 0;
                await using var detected = await DicomFile.ReadAsync(ms, cancellationToken: TestCancellation.Token);
                Assert.True(detected.TransferSyntaxWasGuessed);
                Assert.Equal(ts.Uid, detected.TransferSyntax.Uid);
            }
        }
    }

    private static byte[] ReadStart(DicomValueElement e, int n)
    {
        using var s = e.OpenRead();
        var b = new byte[n];
        s.ReadExactly(b);
        return b;
    }
}
