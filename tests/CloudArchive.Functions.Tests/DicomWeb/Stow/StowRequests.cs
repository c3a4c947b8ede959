using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CloudArchive.Azure.Identity;
using CloudArchive.Core.Identity;
using CloudArchive.Functions.Tests.EndToEnd;
using Microsoft.Extensions.DependencyInjection;

namespace CloudArchive.Functions.Tests.DicomWeb.Stow;

/// <summary>Builds STOW-RS requests against an <see cref="IngestApp"/>, signed with development tokens it trusts.</summary>
internal static class StowRequests
{
    public const string Boundary = "stow-test-boundary-7c1e";

    /// <summary>A fresh object id for a caller.</summary>
    public static string NewCaller() => Guid.NewGuid().ToString("D");

    public static string Token(IngestApp app, string objectId, params string[] roles) =>
        app.Services.GetRequiredService<DevelopmentTokenIssuer>().Mint(new DevelopmentTokenRequest
        {
            Issuer = DevelopmentTokenIssuer.IssuerUri(app.Address),
            ObjectId = objectId,
            Roles = roles.Length == 0 ? [ArchiveRoles.ArchiveUpload] : roles,
        });

    /// <summary><c>multipart/related; type="application/dicom"</c> with one part per instance.</summary>
    public static MultipartContent Multipart(params byte[][] parts)
    {
        var content = new MultipartContent("related", Boundary);
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var part in parts)
        {
            var body = new ByteArrayContent(part);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            content.Add(body);
        }

        return content;
    }

    /// <summary>A POST to <paramref name="path"/> (relative to the app) as an uploader, chunked unless told otherwise.</summary>
    public static HttpRequestMessage Post(IngestApp app, string path, HttpContent content, string? token, bool chunked = true)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(app.Address, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.Accept.ParseAdd("application/dicom+json");
        request.Headers.TransferEncodingChunked = chunked;
        return request;
    }

    /// <summary>The values of a sequence attribute of a Store Instances Response, or none.</summary>
    public static IReadOnlyList<JsonObject> Items(JsonNode response, string tag) =>
        response[tag]?["Value"]?.AsArray().Select(i => i!.AsObject()).ToList() ?? [];

    public static string? Text(JsonObject item, string tag) => item[tag]?["Value"]?[0]?.GetValue<string>();

    public static int? Number(JsonObject item, string tag) => item[tag]?["Value"]?[0]?.GetValue<int>();
}
