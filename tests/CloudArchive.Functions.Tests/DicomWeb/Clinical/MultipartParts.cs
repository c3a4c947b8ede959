using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace CloudArchive.Functions.Tests.DicomWeb.Clinical;

/// <summary>Reads a <c>multipart/related</c> response into its parts (content type and bytes) with ASP.NET Core's multipart reader.</summary>
internal static class MultipartParts
{
    public static async Task<List<(string ContentType, byte[] Body)>> ReadAsync(HttpResponseMessage response)
    {
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/related", type.MediaType);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync(Xunit.TestContext.Current.CancellationToken)) { BodyLengthLimit = null };
        var parts = new List<(string, byte[])>();
        while (await reader.ReadNextSectionAsync(Xunit.TestContext.Current.CancellationToken) is { } section)
        {
            using var body = new MemoryStream();
            await section.Body.CopyToAsync(body, Xunit.TestContext.Current.CancellationToken);
            parts.Add((section.ContentType ?? string.Empty, body.ToArray()));
        }

        return parts;
    }

    public static string TypeParameter(HttpResponseMessage response) =>
        response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "type").Value!.Trim('"');
}
