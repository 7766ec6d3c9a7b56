"""The keys of every screen, in one place (F1)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# 按键说明

**任何界面**：`F1` 帮助 · `Ctrl+P` 命令面板（所有操作都在这里）· `Esc` 返回 · `Ctrl+Q` 退出

## 访谈列表
`N` 新建访谈 · `Enter` 继续选中的访谈 · `R` 审核编码 · `S` 评分 · `E` 导出 · `F5` 刷新

## 访谈（聊天）
在下方输入框里记录候选人的回答，右侧实时显示胜任力、等级、匹配词语、STAR 缺项和提醒。

| 按键 | 操作 |
|---|---|
| `Ctrl+S` 或 `Ctrl+Enter` | 发送并保存回答 |
| `Ctrl+T` | 追问建议的问题（补齐 STAR 或把假设/一般做法/“我们”转成具体事件） |
| `Ctrl+N` / `Ctrl+B` | 下一题 / 上一题 |
| `Ctrl+K` | 跳过本题 |
| `Ctrl+E` | 自己提一个问题 |
| `Ctrl+O` | 给上一条回答加备注 |
| `Ctrl+F` | 结束访谈 |

正在输入的回答随时保存为草稿：程序意外退出后重新打开这次访谈，草稿还在。

## 审核编码
`A` 接受 · `X` 拒绝 · `1`–`5` 改为该等级 · `C` 改胜任力 · `Enter` 在原文里选中一段后按 `Enter`（或 `N`）新增编码 ·
`/` 筛选 · `G` 一致性与协调 · 第二位编码员看不到第一位的决定。

## 一致性与协调
`1`–`5` 把选中的分歧定为该等级 · `0` 定为“不编码”。协调结果成为这次访谈的最终编码。

## 评分
按目标画像显示每个胜任力的频次、最高级、平均级和差距；`Tab` 切换到同岗位候选人比较；`E` 导出。
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "关闭")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Markdown(HELP)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
