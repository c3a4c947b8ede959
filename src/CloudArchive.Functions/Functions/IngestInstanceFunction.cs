using System.Globalization;
using CloudArchive.Core.Ingest;
using CloudArchive.Functions.Events;
using CloudArchive.Functions.Invocation;
using Microsoft.Extensions.Options;

namespace CloudArchive.Functions.Functions;

/// <summary>
/// <c>POST /IngestInstance</c>: the queue trigger on <c>ingest-events</c> (binding <c>message</c>). Decodes the
/// queue text, parses the BlobCreated event(s) and hands each upload to <see cref="IIngestHandler"/>.
/// Answers 200 when every event was handled, 400 when the message cannot be processed as sent, 500 when
/// the ingest service failed, 503 when no ingest service is configured; any non-2xx makes the host retry
/// and finally poison-queue the message. Logs carry event ids, outcomes and opaque keys only.
/// </summary>
public static class IngestInstanceFunction
{
    /// <summary>The function (and route) name; the folder holding function.json has the same name.</summary>
    public const string Name = "IngestInstance";

    /// <summary>The queue trigger's binding name in function.json.</summary>
    public const string MessageBinding = "message";

    /// <summary>Handles one invocation.</summary>
    public static async Task HandleAsync(HttpContext context, IOptions<FunctionsOptions> options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory.CreateLogger(typeof(IngestInstanceFunction).FullName!);
        var cancellationToken = context.RequestAborted;
        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        var correlationId = IsSafeId(invocationId) ? invocationId : Guid.NewGuid().ToString("D");
        var response = new InvocationResponse();

        IReadOnlyList<BlobCreatedEvent> events;
        int deliveryCount;
        try
        {
            var request = await InvocationRequest.ReadAsync(context.Request.Body, cancellationToken).ConfigureAwait(false);
            var json = InvocationValues.DecodeQueueMessageJson(request.RequireData(MessageBinding));
            events = BlobCreatedEventParser.Parse(json, options.Value.Incoming);
            deliveryCount = Math.Max(1, request.MetadataInt("DequeueCount") ?? 1);
        }
        catch (InvalidInvocationException ex)
        {
            logger.LogWarning("{Function} {CorrelationId}: rejected message: {Reason}", Name, correlationId, ex.Message);
            response.Logs.Add($"{Name} {correlationId}: message rejected (permanent; will go to the poison queue after the host's retries): {ex.Message}");
            await response.WriteAsync(context.Response, StatusCodes.Status400BadRequest, cancellationToken).ConfigureAwait(false);
            return;
        }

        var handler = context.RequestServices.GetService<IIngestHandler>();
        if (handler is null)
        {
            response.Logs.Add($"{Name} {correlationId}: no ingest service is configured; the message will be retried.");
            await response.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var blobEvent in events)
        {
            var ingest = new IngestRequest
            {
                Container = blobEvent.Container,
                BlobName = blobEvent.BlobName,
                EventId = blobEvent.Id,
                EventTime = blobEvent.Time,
                ETag = blobEvent.ETag,
                ContentLength = blobEvent.ContentLength,
                Api = blobEvent.Api,
                Sequencer = blobEvent.Sequencer,
                DeliveryCount = deliveryCount,
                CorrelationId = correlationId,
            };

            try
            {
                var result = await handler.IngestAsync(ingest, cancellationToken).ConfigureAwait(false);
                var line = string.Create(CultureInfo.InvariantCulture,
                    $"{Name} {correlationId}: event {SafeId(blobEvent.Id)} (delivery {deliveryCount}): {result.Outcome}")
                    + (result.InstanceKey is null ? "" : $" instance {result.InstanceKey}")
                    + (result.ReasonCode is null ? "" : $" reason {result.ReasonCode}");
                logger.LogInformation("{Line}", line);
                response.Logs.Add(line);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                // Exception messages of the archive's own code carry no patient data (CONTRIBUTING); the type and
                // message tell the operator which dependency failed.
                logger.LogError(ex, "{Function} {CorrelationId}: event {EventId} failed", Name, correlationId, SafeId(blobEvent.Id));
                response.Logs.Add($"{Name} {correlationId}: event {SafeId(blobEvent.Id)} (delivery {deliveryCount}) failed, will be retried: {ex.GetType().Name}: {ex.Message}");
                await response.WriteAsync(context.Response, StatusCodes.Status500InternalServerError, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await response.WriteAsync(context.Response, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSafeId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= 128 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    private static string SafeId(string id) => IsSafeId(id) ? id : "(unprintable id)";
}
