using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CloudArchive.Core.DicomWeb.Stow;

namespace CloudArchive.Cli.Commands.Upload;

/// <summary>
/// Sends files to a DICOMweb service root by STOW-RS (<c>POST {root}/studies</c>), <c>batchSize</c> instances per
/// request: one chunked <c>multipart/related; type="application/dicom"</c> body streamed from the files, and the Store
/// Instances Response matched back to the files by SOP Instance UID, read from each file's head (the UIDs stay in
/// memory; nothing prints them).
/// </summary>
internal static class DicomWebUploader
{
    private const string ReferencedSequence = "00081199";
    private const string FailedSequence = "00081198";
    private const string SopInstanceTag = "00081155";
    private const string WarningReasonTag = "00081196";
    private const string FailureReasonTag = "00081197";

    /// <summary>Uploads every file; <paramref name="sent"/> is told each batch's bytes once it is answered.</summary>
    /// <exception cref="DicomWebUploadException">The service refused the caller, failed, or could not be reached.</exception>
    public static async Task<IReadOnlyList<UploadOutcome>> UploadAsync(HttpClient http, Uri serviceRoot, DicomWebCredentials credentials, IReadOnlyList<UploadFile> files, int batchSize, Action<long>? sent, CancellationToken cancellationToken)
    {
        var outcomes = new List<UploadOutcome>();
        foreach (var batch in files.Chunk(batchSize))
        {
            outcomes.AddRange(await SendBatchAsync(http, serviceRoot, credentials, batch, cancellationToken).ConfigureAwait(false));
            sent?.Invoke(batch.Sum(f => f.Length));
        }

        return outcomes;
    }

    private static async Task<IReadOnlyList<UploadOutcome>> SendBatchAsync(HttpClient http, Uri serviceRoot, DicomWebCredentials credentials, UploadFile[] batch, CancellationToken cancellationToken)
    {
        var uids = new string?[batch.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            uids[i] = await SopInstanceUidAsync(batch[i].Path, cancellationToken).ConfigureAwait(false);
        }

        var streams = new List<Stream>();
        try
        {
            var content = new MultipartContent("related", "cloudarchive-" + Guid.NewGuid().ToString("N"));
            content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
            foreach (var file in batch)
            {
                var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
                streams.Add(stream);
                var part = new StreamContent(stream, 81920);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
                content.Add(part);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(serviceRoot.AbsoluteUri.TrimEnd('/') + "/studies")) { Content = content };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Accept.ParseAdd("application/dicom+json");
            await credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new DicomWebUploadException(null, $"The DICOMweb service could not be reached ({ex.HttpRequestError}).");
            }

            using (response)
            {
                return await ReadOutcomesAsync(response, batch, uids, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<IReadOnlyList<UploadOutcome>> ReadOutcomesAsync(HttpResponseMessage response, UploadFile[] batch, string?[] uids, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500 && response.Content.Headers.ContentType?.MediaType != "application/dicom+json")
        {
            throw new DicomWebUploadException(status, $"The DICOMweb service answered {(int)status}{ErrorText(body)}.");
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/dicom+json")
        {
            // The request as a whole was not accepted (400, 413, 415, ...): every file of it failed with the same reason.
            var reason = "http-" + ((int)status).ToString(CultureInfo.InvariantCulture);
            return [.. batch.Select(f => new UploadOutcome(f, UploadOutcomeKind.Failed, reason, ErrorText(body).TrimStart(':', ' ')))];
        }

        var answers = new Dictionary<string, (bool Stored, int? Code)>(StringComparer.Ordinal);
        var anonymous = new Queue<(bool Stored, int? Code)>();
        using (var document = JsonDocument.Parse(body))
        {
            Collect(document.RootElement, ReferencedSequence, stored: true, WarningReasonTag, answers, anonymous);
            Collect(document.RootElement, FailedSequence, stored: false, FailureReasonTag, answers, anonymous);
        }

        var outcomes = new List<UploadOutcome>();
        for (var i = 0; i < batch.Length; i++)
        {
            (bool Stored, int? Code)? answer = uids[i] is { } uid && answers.Remove(uid, out var found) ? found
                : uids[i] is null && anonymous.Count > 0 ? anonymous.Dequeue() : null;
            outcomes.Add(answer switch
            {
                null => new UploadOutcome(batch[i], UploadOutcomeKind.Failed, "no-answer", $"The service's answer ({(int)status}) does not mention this instance: it was not processed (e.g. a limit stopped the request before it)."),
                { Stored: true, Code: null } => new UploadOutcome(batch[i], UploadOutcomeKind.Archived),
                { Stored: true, Code: { } warning } when warning == StowStatusCodes.AlreadyStored => new UploadOutcome(batch[i], UploadOutcomeKind.Duplicate, Hex(warning), "The identical instance was already archived."),
                { Stored: true } stored => new UploadOutcome(batch[i], UploadOutcomeKind.Archived, Hex(stored.Code!.Value), "Stored with a warning."),
                { Code: var code } => new UploadOutcome(batch[i], UploadOutcomeKind.Failed, code is { } c ? Hex(c) : "failed", Explain(code)),
            });
        }

        return outcomes;
    }

    private static void Collect(JsonElement root, string sequence, bool stored, string reasonTag, Dictionary<string, (bool, int?)> answers, Queue<(bool, int?)> anonymous)
    {
        if (!root.TryGetProperty(sequence, out var element) || !element.TryGetProperty("Value", out var items))
        {
            return;
        }

        foreach (var item in items.EnumerateArray())
        {
            var uid = First(item, SopInstanceTag)?.GetString();
            var code = First(item, reasonTag)?.GetInt32();
            if (uid is null)
            {
                anonymous.Enqueue((stored, code));
            }
            else
            {
                answers[uid] = (stored, code);
            }
        }
    }

    private static JsonElement? First(JsonElement item, string tag) =>
        item.TryGetProperty(tag, out var attribute) && attribute.TryGetProperty("Value", out var values) && values.GetArrayLength() > 0 ? values[0] : null;

    private static async Task<string?> SopInstanceUidAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[StowService.DefaultHeadBytes];
        await using var file = File.OpenRead(path);
        var length = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return StowPartIdentityReader.Read(head.AsSpan(0, length)).SopInstanceUid;
    }

    private static string Hex(int code) => "0x" + code.ToString("X4", CultureInfo.InvariantCulture);

    private static string Explain(int? code) => code switch
    {
        StowStatusCodes.CannotUnderstand => "Not a readable DICOM Part 10 instance (quarantined by the archive).",
        StowStatusCodes.DataSetDoesNotMatchSopClass => "A required attribute or UID is missing or malformed, or the instance is of another study.",
        StowStatusCodes.SopClassNotSupported => "The archive's policy does not accept this SOP Class.",
        StowStatusCodes.DuplicateSopInstance => "Another instance with this SOP Instance UID and different content is archived; nothing was overwritten.",
        StowStatusCodes.OutOfResources => "The instance is larger than the archive accepts.",
        _ => "The archive could not store the instance now; sending it again may succeed.",
    };

    private static string ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) && message.GetString() is { } text ? ": " + text : string.Empty;
        }
        catch (JsonException)
        {
            return string.Empty;
        }
    }
}
