using System.Text;
using Terminal.Gui.Drawing;
using Terminal.Gui.Input;
using Terminal.Gui.ViewBase;
using XmppSniff.Tui.Text;
using Attribute = Terminal.Gui.Drawing.Attribute;
using LineStyle = XmppSniff.Tui.Text.LineStyle;

namespace XmppSniff.Tui.Views;

/// <summary>
/// A scrollable page of coloured lines (ladder, follow, stanza, packet, help, stats). It draws only
/// the lines in view, so a hundred thousand lines cost nothing until scrolled to.
/// </summary>
internal sealed class LinesView : View
{
    private IReadOnlyList<StyledLine> _lines = [];
    private int _top;
    private int _left;

    public LinesView()
    {
        CanFocus = true;
    }

    public IReadOnlyList<StyledLine> Lines => _lines;

    public int Top => _top;

    public void SetLines(IReadOnlyList<StyledLine> lines, bool keepPosition = false)
    {
        _lines = lines;
        if (!keepPosition)
        {
            _top = 0;
            _left = 0;
        }
        Clamp();
        SetNeedsDraw();
    }

    /// <summary>Scrolls so line <paramref name="index"/> is at the top.</summary>
    public void ScrollTo(int index)
    {
        _top = index;
        Clamp();
        SetNeedsDraw();
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        Attribute normal = GetAttributeForRole(VisualRole.Normal);
        int width = Viewport.Width, height = Viewport.Height;
        var text = new StringBuilder(width);
        for (int row = 0; row < height; row++)
        {
            int index = _top + row;
            StyledLine line = index < _lines.Count ? _lines[index] : default;
            string s = line.Text ?? "";
            text.Clear();
            if (_left < s.Length) text.Append(s, _left, Math.Min(width, s.Length - _left));
            text.Append(' ', width - text.Length);
            SetAttribute(AttributeFor(line.Style, normal));
            Move(0, row);
            AddStr(text.ToString());
        }
        return true;
    }

    public static Attribute AttributeFor(LineStyle style, Attribute normal) => style switch
    {
        LineStyle.Heading => new Attribute(new Color(ColorName16.BrightYellow), normal.Background),
        LineStyle.Client => new Attribute(new Color(ColorName16.BrightCyan), normal.Background),
        LineStyle.Server => new Attribute(new Color(ColorName16.BrightGreen), normal.Background),
        LineStyle.Close => new Attribute(new Color(ColorName16.BrightMagenta), normal.Background),
        LineStyle.Dim => new Attribute(new Color(ColorName16.DarkGray), normal.Background),
        LineStyle.Error => new Attribute(new Color(ColorName16.BrightRed), normal.Background),
        _ => normal,
    };

    protected override bool OnKeyDown(Key key)
    {
        int page = Math.Max(1, Viewport.Height - 1);
        if (key == Key.CursorDown || key == Key.J) _top++;
        else if (key == Key.CursorUp || key == Key.K) _top--;
        else if (key == Key.PageDown || key == Key.Space) _top += page;
        else if (key == Key.PageUp) _top -= page;
        else if (key == Key.Home || key == new Key('g')) _top = 0;
        else if (key == Key.End || key == new Key('G')) _top = int.MaxValue / 2;
        else if (key == Key.CursorRight) _left += 8;
        else if (key == Key.CursorLeft) _left = Math.Max(0, _left - 8);
        else return false;
        Clamp();
        SetNeedsDraw();
        return true;
    }

    protected override bool OnMouseEvent(Mouse mouse)
    {
        if (mouse.Flags.HasFlag(MouseFlags.WheeledDown)) _top += 3;
        else if (mouse.Flags.HasFlag(MouseFlags.WheeledUp)) _top -= 3;
        else return false;
        Clamp();
        SetNeedsDraw();
        return true;
    }

    private void Clamp()
    {
        int height = Math.Max(1, Viewport.Height);
        _top = Math.Max(0, Math.Min(_top, _lines.Count - height));
    }
}
