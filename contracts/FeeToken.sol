// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A fee-on-transfer token: every transfer burns-to-collector 1% of the amount, so the
/// recipient receives less than the sender sent. It emits one `Transfer` for the part the
/// recipient receives and one for the fee, so the logs state what actually moved.
contract FeeToken {
    string public constant name = "Fee Token";
    string public constant symbol = "FEE";
    uint8 public constant decimals = 18;
    address public immutable collector;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply, address collector_) {
        collector = collector_;
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "balance");
        uint256 fee = value / 100;
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value - fee;
        balanceOf[collector] += fee;
        emit Transfer(msg.sender, to, value - fee);
        emit Transfer(msg.sender, collector, fee);
        return true;
    }
}
