"""Answers that have broken tools like this one: the same corpus runs through the engine and the UI."""

TRICKY_ANSWERS = [
    "[bold]我[/bold]去了客户那里[/]，[red]查了征信[link=x]",  # console markup must stay text
    "我去看了仓库 😀𠀀，又问了邻居。",  # emoji and a character outside the BMP
    "我們去年三月拜訪了客戶，覈對了流水。",  # traditional characters
    "ＡＢＣ　全角空格和数字１２３，我上门核实了。",  # full-width forms
    "   \n\n  嗯……  \n",  # fillers and blank lines only
    "<script>alert(1)</script> 我核对了他的流水",  # markup of another kind
    "=SUM(A1) 我给自己定了一百户的目标",  # a formula to a spreadsheet
    "去年" + "我上门拜访了客户，查了征信。" * 60,  # long (about 800 characters)
    "\t我\t核对\t了\t流水\t",  # tabs
    "没收到客户的材料，我没有去核实。",  # negation and its exception
]
