using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using CloudArchive.Azure.Storage;

namespace CloudArchive.Functions.LocalHost;

/// <summary>
/// A queue trigger as the Functions host runs it (host.json semantics): receives up to <c>batchSize</c> messages with a
/// visibility timeout, renewed while an invocation runs; runs each through <see cref="LocalFunctionInvoker"/>; deletes it
/// when the invocation succeeds, makes it visible again after the retry delay when it fails, and moves it to
/// <c>{queue}-poison</c> once it has failed <c>maxDequeueCount</c> deliveries.
/// </summary>
internal sealed class LocalQueueListener
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly LocalFunction _function;
    private readonly LocalFunctionInvoker _invoker;
    private readonly LocalHostOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private bool _created;

    public LocalQueueListener(QueueServiceClient queues, string queueName, LocalFunction function, LocalFunctionInvoker invoker, LocalHostOptions options, TimeProvider time, ILogger logger)
    {
        _queue = queues.GetQueueClient(queueName);
        _poison = queues.GetQueueClient(CloudArchive.Azure.Composition.ArchiveQueueNames.Poison(queueName));
        _function = function;
        _invoker = invoker;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The queue listened to.</summary>
    public string QueueName => _queue.Name;

    /// <summary>Receives up to <see cref="LocalHostOptions.MaxConcurrency"/> messages and processes them in parallel; returns how many were received.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await StorageCall.RunAsync("CreateQueue", () => _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            await StorageCall.RunAsync("CreateQueue", () => _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
            _created = true;
        }

        QueueMessage[] messages = await StorageCall.RunAsync("GetMessages", () => _queue.ReceiveMessagesAsync(_options.MaxConcurrency, _options.VisibilityTimeout, cancellationToken)).ConfigureAwait(false);
        if (messages.Length == 0)
        {
            return 0;
        }

        await Task.WhenAll(messages.Select(m => ProcessAsync(m, cancellationToken))).ConfigureAwait(false);
        return messages.Length;
    }

    /// <summary>Processes one message; never throws except for cancellation.</summary>
    internal async Task<QueueDeliveryOutcome> ProcessAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        try
        {
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // Delivered more often than allowed without a recorded failure (the app died mid-invocation): poison it, as the host does.
                await MoveToPoisonAsync(message, popReceipt, cancellationToken).ConfigureAwait(false);
                return QueueDeliveryOutcome.Poisoned;
            }

            var (succeeded, error, receipt) = await InvokeWithRenewalAsync(message, cancellationToken).ConfigureAwait(false);
            popReceipt = receipt;
            if (succeeded)
            {
                await StorageCall.RunAsync("DeleteMessage", () => _queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken)).ConfigureAwait(false);
                return QueueDeliveryOutcome.Completed;
            }

            if (message.DequeueCount >= _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, popReceipt, cancellationToken).ConfigureAwait(false);
                _logger.LogWarning("LocalHost {Function}: message {MessageId} failed delivery {Delivery} ({Error}); moved to {Poison}.", _function.Name, message.MessageId, message.DequeueCount, error, _poison.Name);
                return QueueDeliveryOutcome.Poisoned;
            }

            await StorageCall.RunAsync("UpdateMessage", () => _queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken)).ConfigureAwait(false);
            _logger.LogWarning("LocalHost {Function}: message {MessageId} failed delivery {Delivery} ({Error}); retry in {Delay}.", _function.Name, message.MessageId, message.DequeueCount, error, _options.RetryDelay);
            return QueueDeliveryOutcome.WillRetry;
        }
        catch (Exception ex) when (ex is StorageRequestException or AggregateException or HttpRequestException or IOException)
        {
            // Storage refused the delete/update (e.g. the visibility lapsed and another receiver took it): the message
            // simply reappears; the next delivery decides. Nothing is lost.
            _logger.LogWarning("LocalHost {Function}: message {MessageId}: {Error}; it will be delivered again.", _function.Name, message.MessageId, ex.GetType().Name);
            return QueueDeliveryOutcome.WillRetry;
        }
    }

    private async Task<(bool Succeeded, string Error, string PopReceipt)> InvokeWithRenewalAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        var popReceipt = message.PopReceipt;
        using var invocation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        invocation.CancelAfter(_options.InvocationTimeout);
        var call = InvokeAsync(message, invocation.Token);
        var renewEvery = _options.VisibilityTimeout / 2;
        while (true)
        {
            var finished = await Task.WhenAny(call, Task.Delay(renewEvery, _time, cancellationToken)).ConfigureAwait(false);
            if (finished == call)
            {
                var (ok, error) = await call.ConfigureAwait(false);
                return (ok, error, popReceipt);
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                // Keep the message hidden while the function still works on it, as the host's renewal does.
                var receipt = await StorageCall.RunAsync("UpdateMessage", () => _queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: _options.VisibilityTimeout, cancellationToken: cancellationToken)).ConfigureAwait(false);
                popReceipt = receipt.Value.PopReceipt;
            }
            catch (StorageRequestException)
            {
                // Lost the message (it became visible); the outcome of this call still counts, the delete will fail harmlessly.
            }
        }
    }

    private async Task<(bool Succeeded, string Error)> InvokeAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _invoker.InvokeQueueAsync(_function, message.Body.ToString(), message.MessageId, checked((int)message.DequeueCount), message.InsertedOn ?? _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return (true, string.Empty);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (false, "timed out or stopped");
        }
        catch (Exception ex)
        {
            // The middleware has logged it with the correlation id; the type is enough here.
            return (false, ex.GetType().Name);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt, CancellationToken cancellationToken)
    {
        // Copy first, then delete: a crash in between leaves a duplicate in the poison queue, never a lost message.
        await StorageCall.RunAsync("PutMessage", () => _poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await StorageCall.RunAsync("DeleteMessage", () => _queue.DeleteMessageAsync(message.MessageId, popReceipt, cancellationToken)).ConfigureAwait(false);
    }
}
