using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CloudArchive.Cli.Commands.Research;
using CloudArchive.Functions.Tests.Research;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb;

/// <summary>Requests against a research DICOMweb service root as a recipient, and the multipart parts of the answers.</summary>
internal static class ResearchDicomWebClient
{
    public const string AnyDicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=*";

    public static string Root(string agreement) => $"/api/research/agreements/{agreement}/dicomweb";

    public static async Task<HttpResponseMessage> GetAsync(ResearchApiFixture fixture, string path, string me, string? accept = null, params string[] groups)
    {
        var request = ResearchApiFixture.Get(path, me, groups.Length == 0 ? [ResearchApiFixture.RecipientGroup] : groups);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return doc.RootElement.Clone();
    }

    /// <summary>The parts of a multipart/related response: headers and bytes.</summary>
    public static async Task<List<(IReadOnlyDictionary<string, string> Headers, byte[] Body)>> PartsAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/related", type.MediaType);
        var boundary = MultipartResponseReader.Boundary(type.ToString())!;
        var reader = new MultipartResponseReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), boundary);
        var parts = new List<(IReadOnlyDictionary<string, string>, byte[])>();
        while (await reader.ReadPartAsync(TestContext.Current.CancellationToken) is { } part)
        {
            using var copy = new MemoryStream();
            await part.Body.CopyToAsync(copy, TestContext.Current.CancellationToken);
            parts.Add((part.Headers, copy.ToArray()));
        }

        return parts;
    }

    public static string? Param(MediaTypeHeaderValue type, string name) =>
        type.Parameters.FirstOrDefault(p => p.Name == name)?.Value?.Trim('"');

    /// <summary>The string values of one attribute of a DICOM JSON object.</summary>
    public static string[] Values(JsonElement dataset, string key) =>
        dataset.TryGetProperty(key, out var a) && a.TryGetProperty("Value", out var v)
            ? v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.ToString()).ToArray()
            : [];
}
