using System.Text.Json;
using CloudArchive.Core.Audit;
using CloudArchive.Functions.Middleware;
using CloudArchive.Research.Agreements;

namespace CloudArchive.Functions.Export;

/// <summary>
/// The <c>export-requests</c> queue message: <c>{"agreementId": "...", "requestedBy": "&lt;actor id&gt;"}</c> (raw JSON
/// or base64 of it). <c>requestedBy</c> is an audit actor id: an Entra object id, or <c>cli:</c>/<c>svc:</c>/<c>app:</c>
/// followed by a name.
/// </summary>
/// <param name="AgreementId">The agreement to export.</param>
/// <param name="RequestedBy">Who asked (recorded in the audit lines).</param>
public sealed record ExportRequestMessage(string AgreementId, string RequestedBy)
{
    /// <summary>Serializes the message as enqueued by the CLI.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, string> { ["agreementId"] = AgreementId, ["requestedBy"] = RequestedBy });

    /// <summary>Parses and validates a message's JSON text.</summary>
    /// <exception cref="InvalidMessageException">Not an object with exactly a valid <c>agreementId</c> and <c>requestedBy</c>.</exception>
    public static ExportRequestMessage Parse(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidMessageException($"The export request is not valid JSON ({ex.LineNumber + 1}:{ex.BytePositionInLine + 1}).", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidMessageException("The export request must be a JSON object {\"agreementId\": ..., \"requestedBy\": ...}.");
            }

            string? agreementId = null;
            string? requestedBy = null;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "agreementId" when property.Value.ValueKind == JsonValueKind.String && agreementId is null:
                        agreementId = property.Value.GetString();
                        break;
                    case "requestedBy" when property.Value.ValueKind == JsonValueKind.String && requestedBy is null:
                        requestedBy = property.Value.GetString();
                        break;
                    default:
                        // Property names are echoed only when they are plain identifiers.
                        throw new InvalidMessageException($"The export request has an unexpected, repeated or non-string property{(property.Name.All(char.IsAsciiLetterOrDigit) && property.Name.Length <= 32 ? " '" + property.Name + "'" : string.Empty)}.");
                }
            }

            if (!DataSharingAgreement.IsValidId(agreementId))
            {
                throw new InvalidMessageException("agreementId is missing or not an agreement id (3-63 of a-z, 0-9 and '-').");
            }

            try
            {
                _ = new AuditActor(requestedBy ?? string.Empty);
            }
            catch (ArgumentException)
            {
                throw new InvalidMessageException("requestedBy is missing or not an actor id (an Entra object id, or cli:/svc:/app: followed by a name).");
            }

            return new ExportRequestMessage(agreementId!, requestedBy!);
        }
    }
}
