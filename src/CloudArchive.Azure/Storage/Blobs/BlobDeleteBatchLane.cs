namespace CloudArchive.Azure.Storage.Blobs;

/// <summary>
/// The queue of one container in a <see cref="BlobDeleteBatcher"/>: at most one request in flight, and everything
/// that arrives meanwhile goes in the next one.
/// </summary>
internal sealed class BlobDeleteBatchLane
{
    private readonly BlobContainerClient _container;
    private readonly Lock _gate = new();
    private readonly LinkedList<Pending> _queue = new();
    private bool _sending;

    public BlobDeleteBatchLane(BlobContainerClient container) => _container = container;

    public async Task<BlobBatchDeleteResult> DeleteAsync(BlobBatchDelete item, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new Pending(this, item);
        bool sendNow;
        lock (_gate)
        {
            sendNow = !_sending;
            if (sendNow)
            {
                _sending = true;
            }
            else
            {
                pending.Node = _queue.AddLast(pending);
            }
        }

        if (sendNow)
        {
            // Runs synchronously up to the first I/O, so a lone caller is sent at once; the loop then drains the queue.
            _ = RunAsync([pending]);
            return await pending.Completion.Task.ConfigureAwait(false);
        }

        // Registered after queueing: a token cancelled in between runs the callback right here, which removes the item.
        using var registration = cancellationToken.Register(static (state, token) => ((Pending)state!).Lane.Cancel((Pending)state!, token), pending);
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private void Cancel(Pending pending, CancellationToken token)
    {
        lock (_gate)
        {
            if (pending.Node is null)
            {
                return; // already sent: the caller waits for the outcome
            }

            _queue.Remove(pending.Node);
            pending.Node = null;
        }

        pending.Completion.TrySetCanceled(token);
    }

    /// <summary>Sends <paramref name="batch"/>, then whatever queued meanwhile, until the queue is empty. Never throws.</summary>
    private async Task RunAsync(List<Pending> batch)
    {
        while (true)
        {
            await SendAsync(batch).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _sending = false;
                    return;
                }

                batch = new List<Pending>(Math.Min(_queue.Count, BlobContainerClient.MaxBatchDeletes));
                while (batch.Count < BlobContainerClient.MaxBatchDeletes && _queue.First is { } node)
                {
                    _queue.RemoveFirst();
                    node.Value.Node = null;
                    batch.Add(node.Value);
                }
            }
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        try
        {
            // Once sent, an item's outcome is owed to its caller regardless of that caller's token, and the request
            // is shared by many callers, so no caller's token may cancel it; the pipeline's timeouts bound it.
            if (batch.Count == 1)
            {
                batch[0].Completion.TrySetResult(await _container.DeleteOneAsync(batch[0].Item, CancellationToken.None).ConfigureAwait(false));
                return;
            }

            var items = new BlobBatchDelete[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                items[i] = batch[i].Item;
            }

            var results = await _container.DeleteBatchAsync(items, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            // Deletes conditioned on If-Match are safe to retry, so the callers (and the host's retries) decide.
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private sealed class Pending(BlobDeleteBatchLane lane, BlobBatchDelete item)
    {
        public BlobDeleteBatchLane Lane { get; } = lane;

        public BlobBatchDelete Item { get; } = item;

        public TaskCompletionSource<BlobBatchDeleteResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The item's place in the queue; null once it was taken for sending or cancelled.</summary>
        public LinkedListNode<Pending>? Node { get; set; }
    }
}
