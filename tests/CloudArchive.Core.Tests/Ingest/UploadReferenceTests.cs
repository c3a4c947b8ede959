using CloudArchive.Core.Audit;
using CloudArchive.Core.Ingest;
using Xunit;

namespace CloudArchive.Core.Tests.Ingest;

/// <summary>The uploader's reference is set by whoever uploads: only its exact shape reaches the audit log.</summary>
public sealed class UploadReferenceTests
{
    [Fact]
    public void New_references_are_32_lowercase_hex_digits_fit_an_audit_detail_and_differ()
    {
        var a = UploadReference.New();
        var b = UploadReference.New();

        Assert.Matches(@"\A[0-9a-f]{32}\z", a);
        Assert.NotEqual(a, b);
        Assert.Matches(AuditFieldRules.Detail(), UploadReference.Detail(a));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789ABCDEF0123456789abcdef")]
    [InlineData("0123456789abcdef0123456789abcde")]
    [InlineData("0123456789abcdef0123456789abcdef0")]
    [InlineData("0123456789abcdef0123456789abcdef\n")]
    [InlineData("DOE_JOHN_MRN123456.dcm")]
    [InlineData("0123456789abcdef0123456789abcdeg")]
    public void Anything_but_the_exact_shape_is_dropped(string? value)
    {
        Assert.Null(UploadReference.ParseOrNull(value));
        using var content = new MemoryStream([1, 2, 3]);
        Assert.Null(new IncomingUpload(content, 3, "\"e\"", uploadReference: value).UploadReference);
    }

    [Fact]
    public void A_well_formed_reference_is_kept_on_the_upload()
    {
        var reference = UploadReference.New();
        using var content = new MemoryStream([1, 2, 3]);

        Assert.Equal(reference, new IncomingUpload(content, 3, "\"e\"", uploadReference: reference).UploadReference);
    }
}
