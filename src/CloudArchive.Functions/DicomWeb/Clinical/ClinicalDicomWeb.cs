using CloudArchive.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace CloudArchive.Functions.DicomWeb.Clinical;

/// <summary>
/// Clinical DICOMweb over the original archive: <c>GET /api/dicomweb/{*path}</c> (QIDO-RS and WADO-RS; STOW-RS is the
/// <c>POST</c> function on the same root). Anonymous at the Functions level because the app authenticates every request
/// itself; <see cref="ClinicalDicomWebHandler"/> validates the token, Core's clinical access policy decides (role and
/// purpose of use), and the handler audits and answers.
/// </summary>
public sealed class ClinicalDicomWeb
{
    /// <summary>The function name.</summary>
    public const string Name = "ClinicalDicomWeb";

    /// <summary>The route under the host's <c>api</c> prefix.</summary>
    public const string Route = "dicomweb/{*path}";

    private readonly ClinicalDicomWebHandler _handler;

    /// <summary>Creates the function.</summary>
    public ClinicalDicomWeb(ClinicalDicomWebHandler handler) => _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Answers one request.</summary>
    [Function(Name)]
    public Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = Route)] HttpRequest request, FunctionContext context) =>
        HandledHttpTrigger.RunAsync(_handler, request, context);
}
