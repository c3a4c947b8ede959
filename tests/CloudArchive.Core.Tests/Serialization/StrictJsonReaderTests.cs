using System.Text;
using System.Text.Json;
using CloudArchive.Core.Serialization;
using Xunit;

namespace CloudArchive.Core.Tests.Serialization;

public sealed class StrictJsonReaderTests
{
    private static readonly StrictJsonWording Wording = new()
    {
        InvalidJson = e => "invalid at " + StrictJsonReader.Position(e),
        NotAnObject = kind => "not an object: " + kind,
        UnknownProperty = allowed => "unknown; allowed " + string.Join("|", allowed),
        Missing = "missing",
        NotAString = kind => "not a string: " + kind,
        NotABoolean = kind => "not a boolean: " + kind,
        NotAnArrayOfStrings = kind => "not an array: " + kind,
        EmptyString = "empty",
        EmptyArray = "empty array",
    };

    private static (StrictJsonReader Reader, List<string> Findings) Collecting(int maxDepth = 8)
    {
        var findings = new List<string>();
        return (new StrictJsonReader(Wording, maxDepth, (path, message) => findings.Add(path + " " + message)), findings);
    }

    private static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{/* c */\"a\":1}")]
    [InlineData("{\"a\":1} trailing")]
    [InlineData("[[[[[[[[[1]]]]]]]]]")]
    public void Duplicates_trailing_commas_comments_trailing_data_and_depth_are_refused_at_the_root(string json)
    {
        var (reader, findings) = Collecting();

        Assert.Null(reader.Parse(json));
        Assert.Null(reader.Parse(Utf8(json)));

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.StartsWith("$ invalid at", f, StringComparison.Ordinal));
    }

    [Fact]
    public void A_collecting_reader_reports_every_unknown_property_and_carries_on()
    {
        var (reader, findings) = Collecting();
        using var doc = reader.Parse("{\"x\":1,\"name\":\"n\",\"y\":2}")!;

        Assert.True(reader.ExpectObject(doc.RootElement, "$", ["name"]));
        Assert.Equal("n", reader.String(doc.RootElement, "$", "name", required: true));
        Assert.Equal(["$.x unknown; allowed name", "$.y unknown; allowed name"], findings);
    }

    [Fact]
    public void A_throwing_reader_stops_at_the_first_finding_with_the_callers_exception()
    {
        var reader = new StrictJsonReader(Wording, 8, (path, message) => throw new FormatException(path + " " + message));
        using var doc = JsonDocument.Parse("{\"x\":1,\"y\":2}");

        var ex = Assert.Throws<FormatException>(() => reader.ExpectObject(doc.RootElement, "$", ["name"]));
        Assert.Equal("$.x unknown; allowed name", ex.Message);
    }

    [Fact]
    public void Values_of_the_wrong_kind_are_reported_with_their_path_and_kind_and_read_as_null()
    {
        var (reader, findings) = Collecting();
        using var doc = reader.Parse("{\"s\":1,\"b\":\"yes\",\"a\":{},\"o\":[],\"e\":\" \",\"n\":null,\"i\":[\"x\",2],\"z\":[]}")!;
        var root = doc.RootElement;

        Assert.Null(reader.String(root, "$", "s", required: true));
        Assert.Null(reader.Boolean(root, "$", "b"));
        Assert.Null(reader.StringArray(root, "$", "a", allowEmpty: true));
        Assert.False(reader.ExpectObject(root.GetProperty("o"), "$.o", ["k"]));
        Assert.Null(reader.String(root, "$", "e", required: true));
        Assert.Null(reader.String(root, "$", "n", required: true));
        Assert.Equal([("x", "$.i[0]")], reader.StringArray(root, "$", "i", allowEmpty: false)!);
        Assert.Empty(reader.StringArray(root, "$", "z", allowEmpty: false)!);

        Assert.Equal(
        [
            "$.s not a string: Number",
            "$.b not a boolean: String",
            "$.a not an array: Object",
            "$.o not an object: Array",
            "$.e empty",
            "$.n missing",
            "$.i[1] not a string: Number",
            "$.z empty array",
        ], findings);
    }

    [Fact]
    public void Absent_and_null_optional_values_read_as_null_without_a_finding()
    {
        var (reader, findings) = Collecting();
        using var doc = reader.Parse("{\"n\":null}")!;
        var root = doc.RootElement;

        Assert.Null(reader.String(root, "$", "n", required: false));
        Assert.Null(reader.String(root, "$", "absent", required: false));
        Assert.Null(reader.Boolean(root, "$", "n"));
        Assert.Null(reader.StringArray(root, "$", "n", allowEmpty: false));
        Assert.False(StrictJsonReader.TryGet(root, "n", out _));
        Assert.Empty(findings);
    }
}
