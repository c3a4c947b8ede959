using System.Net.Http.Headers;
using System.Text;
using CloudArchive.Azure.Storage;
using CloudArchive.Azure.Storage.Queues;

namespace CloudArchive.Functions.LocalTriggers;

/// <summary>
/// The queue trigger as the Functions host runs it: receives messages with a visibility timeout (renewed
/// while an invocation runs), POSTs each to <c>/{function}</c> over HTTP, deletes it on 2xx, makes it
/// visible again after <see cref="LocalTriggerOptions.RetryDelay"/> on failure, and moves it to the poison
/// queue once it has failed <see cref="LocalTriggerOptions.MaxDequeueCount"/> deliveries.
/// </summary>
internal sealed class QueueTriggerDrainer
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly HttpClient _http;
    private readonly LocalTriggerOptions _options;
    private readonly string _functionName;
    private readonly string _bindingName;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _created;

    public QueueTriggerDrainer(StorageConnection connection, HttpClient http, LocalTriggerOptions options, string functionName, string bindingName, TimeProvider time, ILogger logger)
        : this(connection, http, options, options.IngestQueue, options.EffectivePoisonQueue, functionName, bindingName, time, logger)
    {
    }

    /// <summary>A drainer of any queue (e.g. <c>export-requests</c>) into <c>/{functionName}</c>.</summary>
    public QueueTriggerDrainer(StorageConnection connection, HttpClient http, LocalTriggerOptions options, string queueName, string poisonQueueName, string functionName, string bindingName, TimeProvider time, ILogger logger)
    {
        _queue = connection.Queues.GetQueue(queueName);
        _poison = connection.Queues.GetQueue(poisonQueueName);
        _http = http;
        _options = options;
        _functionName = functionName;
        _bindingName = bindingName;
        _time = time;
        _logger = logger;
    }

    /// <summary>Receives up to <see cref="LocalTriggerOptions.MaxConcurrency"/> messages and processes them in parallel; returns how many were received.</summary>
    public async Task<int> DrainOnceAsync(Uri functionBaseUri, CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await _poison.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            _created = true;
        }

        var messages = await _queue.ReceiveAsync(Math.Min(32, _options.MaxConcurrency), _options.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        if (messages.Count == 0)
        {
            return 0;
        }

        await Task.WhenAll(messages.Select(m => ProcessAsync(functionBaseUri, m, cancellationToken))).ConfigureAwait(false);
        return messages.Count;
    }

    /// <summary>Processes one message; never throws except for cancellation.</summary>
    internal async Task<QueueTriggerOutcome> ProcessAsync(Uri functionBaseUri, QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        try
        {
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // Delivered more often than allowed without a recorded failure (the app died mid-invocation): poison it, as the host does.
                await MoveToPoisonAsync(message, popReceipt, cancellationToken).ConfigureAwait(false);
                return QueueTriggerOutcome.Poisoned;
            }

            var (succeeded, status, receipt) = await InvokeWithRenewalAsync(functionBaseUri, message, cancellationToken).ConfigureAwait(false);
            popReceipt = receipt;
            if (succeeded)
            {
                await _queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("LocalTriggers {Function}: message {MessageId} delivery {Delivery} completed ({Status}).", _functionName, message.MessageId, message.DequeueCount, status);
                return QueueTriggerOutcome.Completed;
            }

            if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, popReceipt, cancellationToken).ConfigureAwait(false);
                _logger.LogWarning("LocalTriggers {Function}: message {MessageId} failed delivery {Delivery} ({Status}); moved to {Poison}.", _functionName, message.MessageId, message.DequeueCount, status, _poison.Name);
                return QueueTriggerOutcome.Poisoned;
            }

            await _queue.UpdateMessageAsync(message.MessageId, popReceipt, _options.RetryDelay, cancellationToken: cancellationToken).ConfigureAwait(false);
            _logger.LogWarning("LocalTriggers {Function}: message {MessageId} failed delivery {Delivery} ({Status}); retry in {Delay}.", _functionName, message.MessageId, message.DequeueCount, status, _options.RetryDelay);
            return QueueTriggerOutcome.WillRetry;
        }
        catch (Exception ex) when (ex is StorageRequestException or global::Azure.RequestFailedException or AggregateException or HttpRequestException or IOException)
        {
            // Storage refused the delete/update (e.g. the visibility lapsed and another receiver took it): the message
            // simply reappears; the next delivery decides. Nothing is lost.
            _logger.LogWarning("LocalTriggers {Function}: message {MessageId}: {Error}; it will be delivered again.", _functionName, message.MessageId, ex.GetType().Name);
            return QueueTriggerOutcome.WillRetry;
        }
    }

    private async Task<(bool Succeeded, string Status, string PopReceipt)> InvokeWithRenewalAsync(Uri functionBaseUri, QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        invocation.CancelAfter(_options.InvocationTimeout);
        var call = InvokeAsync(functionBaseUri, message, invocation.Token);
        var renewEvery = _options.VisibilityTimeout / 2;
        while (true)
        {
            var finished = await Task.WhenAny(call, Task.Delay(renewEvery, _time, cancellationToken)).ConfigureAwait(false);
            if (finished == call)
            {
                var (ok, status) = await call.ConfigureAwait(false);
                return (ok, status, popReceipt);
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Keep the message hidden while the function still works on it, as the host's renewal does.
                var receipt = await _queue.UpdateMessageAsync(message.MessageId, popReceipt, _options.VisibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                popReceipt = receipt.PopReceipt;
            }
            catch (Exception ex) when (ex is StorageRequestException or global::Azure.RequestFailedException)
            {
                // Lost the message (it became visible); the outcome of this call still counts, the delete will fail harmlessly.
            }
        }
    }

    private async Task<(bool Succeeded, string Status)> InvokeAsync(Uri functionBaseUri, QueueMessage message, CancellationToken cancellationToken)
    {
        var body = HostInvocationPayload.Create(_bindingName, _functionName, message, _time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(functionBaseUri, "/" + _functionName))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.TryAddWithoutValidation("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString("D"));
        request.Headers.TryAddWithoutValidation("User-Agent", "CloudArchive-LocalTriggers/1");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return (response.IsSuccessStatusCode, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException ex)
        {
            return (false, "no response: " + ex.HttpRequestError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, "no response (HttpClient timeout)");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out");
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        // Copy first, then delete: a crash in between leaves a duplicate in the poison queue, never a lost message.
        await _poison.SendAsync(message.Text, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken).ConfigureAwait(false);
    }
}
