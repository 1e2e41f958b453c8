// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// A USDT-style token: `transfer` and `transferFrom` return no value (as Tether's mainnet
/// contract does), the symbol is a `bytes32` (as early tokens such as MKR had) and there is
/// no `decimals` function at all.
contract NoReturnToken {
    bytes32 public constant symbol = "NRT";
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(uint256 supply) {
        balanceOf[msg.sender] = supply;
        emit Transfer(address(0), msg.sender, supply);
    }

    function transfer(address to, uint256 value) external {
        require(balanceOf[msg.sender] >= value, "balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
    }

    function approve(address spender, uint256 value) external {
        allowance[msg.sender][spender] = value;
    }

    function transferFrom(address from, address to, uint256 value) external {
        require(allowance[from][msg.sender] >= value && balanceOf[from] >= value, "denied");
        allowance[from][msg.sender] -= value;
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
    }
}
