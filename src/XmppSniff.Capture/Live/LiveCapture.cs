using System.Diagnostics;
using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;
using XmppSniff.Capture.Files;

namespace XmppSniff.Capture.Live;

/// <summary>
/// Packets from a network interface through libpcap, read as a capture file is read: one frame at
/// a time, each a view valid until the next read. Unlike a file it also says when nothing arrived
/// for a while (<see cref="LiveRead.Idle"/>), so the engine can move time on and end idle flows.
/// Immediate mode: a packet is handed over as soon as the kernel has it. One thread reads;
/// <see cref="Stop"/> and <see cref="Statistics"/> may be called from any thread.
/// </summary>
public sealed class LiveCapture : ICaptureReader
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StatisticsEvery = TimeSpan.FromMilliseconds(250);

    // struct pcap_pkthdr: a struct timeval (16 bytes on 64-bit Unix, 8 on Windows and 32-bit), then caplen and len.
    private static readonly int TimevalSize = IntPtr.Size == 4 || OperatingSystem.IsWindows() ? 8 : 16;

    private readonly PolledDevice _device;
    private readonly LiveOptions _options;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _nanosecondsPerTick;
    private readonly object _statisticsLock = new();
    private readonly List<string> _warnings = [];
    private LiveStatistics _statistics;
    private TimeSpan? _statisticsTaken;
    private long _frames;
    private volatile bool _stopRequested;
    private TimeSpan? _stopSeen;
    private bool _ended;

    private LiveCapture(PolledDevice device, LiveOptions options, IReadOnlyList<string> warnings)
    {
        _device = device;
        _options = options;
        _warnings.AddRange(warnings);
        DataLink = (int)device.LinkType;
        LinkType = DataLinks.ToLinkType(DataLink);
        _nanosecondsPerTick = device.TimestampResolution == TimestampResolution.Nanosecond ? 1 : 1000;
        Interfaces = [new CaptureInterface(LinkType, options.SnapLength, device.Name, device.Description)];
    }

    /// <summary>
    /// Checks the filter, finds the interface, opens it and sets the filter, in that order, so the
    /// commonest mistakes are reported before anything needs privileges.
    /// </summary>
    /// <exception cref="LiveCaptureException">One of the errors of <see cref="LiveErrors"/>.</exception>
    public static LiveCapture Open(LiveOptions options) => NetworkInterfaces.Guard(() => OpenChecked(options));

    public string Path => _device.Name;

    public CaptureFormat Format => CaptureFormat.Live;

    public IReadOnlyList<CaptureInterface> Interfaces { get; }

    public IReadOnlyList<string> Comments => [];

    /// <summary>Settings libpcap could not apply (e.g. nanosecond timestamps); the capture goes on without them.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    public bool Truncated => false;

    public long Position => 0;

    public long Length => 0;

    /// <summary>The interface's link type as libpcap reports it (a DLT_* value).</summary>
    public int DataLink { get; }

    /// <summary>The link type frames carry (LINKTYPE_*).</summary>
    public LinkType LinkType { get; }

    /// <summary>Frames read so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>Wall-clock time now, in nanoseconds since the epoch: the time of an idle moment.</summary>
    public static long Clock => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;

    /// <summary>libpcap's counters as last sampled by the reading thread (a few times a second, and at the end).</summary>
    public LiveStatistics Statistics
    {
        get
        {
            lock (_statisticsLock) return _statistics;
        }
    }

    /// <summary>Ends the capture: packets the kernel already holds are still read (for at most a second), then reads return End.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>Reads the next frame, or reports the capture idle or over.</summary>
    /// <exception cref="LiveCaptureException">The interface failed during capture (e.g. it went down).</exception>
    public LiveRead Read(out RawFrame frame)
    {
        frame = default;
        if (_ended) return LiveRead.End;
        while (true)
        {
            if (ReachedLimit() || StoppedLongAgo()) return Finish();
            IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
            int result = _device.GetNextPacketPointers(ref header, ref data); // non-blocking: 0 when the kernel holds nothing
            switch (result)
            {
                case 1:
                    frame = ToFrame(header, data);
                    if ((Frames & 1023) == 0) SampleStatistics(force: false);
                    return LiveRead.Frame;
                case 0 when _stopRequested:
                    return Finish(); // everything captured before the stop has been read
                case 0:
                    if (_device.WaitReadable(_options.IdleAfter)) continue;
                    SampleStatistics(force: false);
                    return LiveRead.Idle;
                case -2:
                    return Finish();
                default:
                    string error = _device.LastError;
                    Finish();
                    throw new LiveCaptureException($"capture on {Path} failed: {error.Trim().TrimEnd('.')}");
            }
        }
    }

    /// <summary>The file-reader view: waits through idle moments; false once the capture is over.</summary>
    public bool TryRead(out RawFrame frame)
    {
        while (true)
        {
            switch (Read(out frame))
            {
                case LiveRead.Frame: return true;
                case LiveRead.End: return false;
            }
        }
    }

    public void Dispose()
    {
        _ended = true;
        _device.Close();
        GC.SuppressFinalize(this);
    }

    private static LiveCapture OpenChecked(LiveOptions options)
    {
        // Syntax first, for Ethernet: needs no device and no privileges. The device's own link type is checked when set.
        if (!string.IsNullOrWhiteSpace(options.Filter) && !PcapDevice.CheckFilter(options.Filter, out string? error))
            throw LiveErrors.BadFilter(options.Filter, error);

        IReadOnlyList<InterfaceInfo> all = NetworkInterfaces.List();
        InterfaceInfo info = options.Interface is null
            ? NetworkInterfaces.Default(all) ?? throw LiveErrors.NoInterface()
            : all.FirstOrDefault(i => i.Name == options.Interface) ?? throw LiveErrors.NoSuchInterface(options.Interface, all.Select(i => i.Name));
        if (!info.Up && !info.Pseudo) throw LiveErrors.InterfaceDown(info.Name);

        var device = new PolledDevice(LibPcapLiveDeviceList.New().First(d => d.Name == info.Name).Interface!);
        var warnings = new List<string>();
        var configuration = new DeviceConfiguration
        {
            Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Snaplen = options.SnapLength,
            ReadTimeout = Math.Max(1, (int)options.IdleAfter.TotalMilliseconds),
            Immediate = options.Immediate,
            BufferSize = options.BufferBytes,
            TimestampResolution = TimestampResolution.Nanosecond,
        };
        configuration.ConfigurationFailed += (_, e) => warnings.Add($"{e.Property}: {e.Message}");
        try
        {
            device.Open(configuration);
            device.NonBlockingMode = true;
            if (!string.IsNullOrWhiteSpace(options.Filter)) SetFilter(device, options.Filter);
            if (options.Immediate && SmallRing(info.Name, options.BufferBytes) is { } note) warnings.Add(note);
            return new LiveCapture(device, options, warnings);
        }
        catch (PcapException e)
        {
            device.Close();
            throw LiveErrors.FromOpen(info.Name, e);
        }
        catch
        {
            device.Close();
            throw;
        }
    }

    /// <summary>
    /// In immediate mode each ring slot is as large as the interface's MTU: on `lo` (64 KiB) the
    /// default buffer holds only a few hundred packets, and a short stall of the reader drops some.
    /// </summary>
    private static string? SmallRing(string name, int bufferBytes)
    {
        int mtu = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(i => i.Name == name)?.GetIPProperties().GetIPv4Properties()?.Mtu ?? 0;
        long slots = mtu > 0 ? bufferBytes / (mtu + 128) : long.MaxValue;
        return slots >= 2048 ? null
            : $"the {bufferBytes >> 20} MiB buffer holds about {slots} packets of {name}'s {mtu}-byte MTU in immediate mode; for high packet rates use --buffered or a larger -B";
    }

    /// <summary>Compiles the filter for the device's link type (e.g. `ether host` means nothing on raw IP).</summary>
    private static void SetFilter(PolledDevice device, string filter)
    {
        try
        {
            device.Filter = filter;
        }
        catch (PcapException e)
        {
            throw LiveErrors.BadFilter(filter, e.Message.Replace($"Can't set filter ({filter}) : ", ""));
        }
    }

    private unsafe RawFrame ToFrame(IntPtr header, IntPtr data)
    {
        var h = new ReadOnlySpan<byte>((void*)header, TimevalSize + 8);
        long seconds, fraction;
        if (TimevalSize == 16)
        {
            seconds = MemoryMarshal.Read<long>(h);
            fraction = MemoryMarshal.Read<long>(h[8..]);
        }
        else
        {
            seconds = (uint)MemoryMarshal.Read<int>(h);
            fraction = MemoryMarshal.Read<int>(h[4..]);
        }
        int captured = MemoryMarshal.Read<int>(h[TimevalSize..]);
        int original = MemoryMarshal.Read<int>(h[(TimevalSize + 4)..]);
        long number = Interlocked.Increment(ref _frames);
        long time = seconds * 1_000_000_000 + fraction * _nanosecondsPerTick;
        return new RawFrame(number, time, LinkType, 0, original, new ReadOnlySpan<byte>((void*)data, captured));
    }

    private bool ReachedLimit() =>
        (_options.MaxPackets > 0 && Frames >= _options.MaxPackets)
        || (_options.Duration is { } duration && _clock.Elapsed >= duration);

    /// <summary>Under a flood the kernel is never empty: a stop reads on for at most <see cref="DrainLimit"/>.</summary>
    private bool StoppedLongAgo()
    {
        if (!_stopRequested) return false;
        _stopSeen ??= _clock.Elapsed;
        return _clock.Elapsed - _stopSeen > DrainLimit;
    }

    private LiveRead Finish()
    {
        if (!_ended) SampleStatistics(force: true);
        _ended = true;
        return LiveRead.End;
    }

    private void SampleStatistics(bool force)
    {
        TimeSpan now = _clock.Elapsed;
        if (!force && now - _statisticsTaken < StatisticsEvery) return;
        _statisticsTaken = now;
        if (_device.ReadStatistics() is { } statistics)
            lock (_statisticsLock) _statistics = statistics;
    }
}
