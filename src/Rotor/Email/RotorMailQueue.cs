using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rotor.Email;

/// <summary>The bounded queue between requests that need a mail and <see cref="RotorMailWorker"/>.</summary>
internal sealed class RotorMailQueue
{
    private readonly Channel<RotorMailJob> _channel;
    private readonly ILogger<RotorMailQueue> _logger;

    public RotorMailQueue(IOptions<RotorOptions> options, ILogger<RotorMailQueue> logger)
    {
        _logger = logger;
        _channel = Channel.CreateBounded<RotorMailJob>(new BoundedChannelOptions(Math.Max(1, options.Value.Email.QueueCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    public ChannelReader<RotorMailJob> Reader => _channel.Reader;

    /// <summary>Queues a job without waiting; a full queue drops it (and says so in the log) rather than slow the request.</summary>
    public void Enqueue(RotorMailJob job)
    {
        if (!_channel.Writer.TryWrite(job))
        {
            EmailLog.Dropped(_logger, job.Kind);
        }
    }
}
